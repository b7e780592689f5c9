import { isUnsafeText } from "@/lib/schemas/text";
import type { MemberSortKey } from "@/lib/schemas/members";

/** A members-list keyset position: the sort column's value and the member id of the last row shown. */
export type CursorValue = string | number | null;

export function encodeCursor(value: CursorValue, memberId: string) {
  return Buffer.from(JSON.stringify([value, memberId])).toString("base64url");
}

/** An instant as the list writes it (Date#toISOString), which PostgreSQL reads as timestamptz. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const safeId = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 128 && !isUnsafeText(v);

/**
 * The position a cursor holds for `sort`, or null when it is not one the list gives for that sort
 * (hand-edited, cut short, from another sort): checked here, so no malformed value reaches the query.
 */
export function decodeCursor(cursor: string, sort: MemberSortKey): [CursorValue, string] | null {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(v) || v.length !== 2 || !safeId(v[1])) return null;
  const [value, id] = v as [unknown, string];
  const ok =
    sort === "registeredAt" || sort === "lastOrderAt"
      ? typeof value === "string" && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))
      : sort === "memberId"
        ? safeId(value)
        : Number.isSafeInteger(value);
  return ok ? [value as CursorValue, id] : null;
}
