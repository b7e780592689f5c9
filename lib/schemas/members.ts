import { z } from "zod";
import { AppError, validationError } from "@/lib/errors";
import { decodeCursor } from "@/lib/members/cursor";
import { safeText } from "./text";

const id = safeText().trim().min(1).max(128);
const optionalInt = z.coerce.number().int().nonnegative().optional();
const optionalDate = z.iso.date().optional();
const score = z.coerce.number().int().min(1).max(5).optional();

export const memberSortKeys = ["registeredAt", "lifetimeSpend", "pointsBalance", "lastOrderAt", "memberId"] as const;
export type MemberSortKey = (typeof memberSortKeys)[number];
export const lifecycles = ["new", "active", "dormant", "lost"] as const;
/** Named RFM segments (scores 1–5): shorthand for the ranges drill-downs use most. */
export const rfmSegments = ["champions", "loyal", "atRisk", "hibernating"] as const;
export type RfmSegment = (typeof rfmSegments)[number];

const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const opt = <T extends z.ZodType>(s: T) => z.preprocess(emptyToUndefined, s);

/**
 * The members list filter, as the URL holds it (so a drill-down or a shared link opens the same
 * view). Money in yuan, dates as business dates (YYYY-MM-DD), `cursor` from the previous page.
 */
export const memberListQuery = z
  .object({
    q: opt(safeText().trim().max(64).optional()),
    tier: opt(safeText().trim().max(40).optional()),
    lifecycle: opt(z.enum(lifecycles).optional()),
    segment: opt(z.enum(rfmSegments).optional()),
    r: opt(score),
    f: opt(score),
    m: opt(score),
    spendMin: opt(optionalInt),
    spendMax: opt(optionalInt),
    pointsMin: opt(optionalInt),
    pointsMax: opt(optionalInt),
    regFrom: opt(optionalDate),
    regTo: opt(optionalDate),
    /** Holding a paid-membership card now: "any", or a plan's code. */
    card: opt(z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, '"any" or a plan code').optional()),
    sort: opt(z.enum(memberSortKeys).default("registeredAt")),
    dir: opt(z.enum(["asc", "desc"]).default("desc")),
    cursor: opt(z.string().max(300).optional()),
    limit: opt(z.coerce.number().int().min(1).max(200).default(50)),
  })
  .superRefine((f, ctx) => {
    if (f.cursor !== undefined && !decodeCursor(f.cursor, f.sort)) ctx.addIssue({ code: "custom", path: ["cursor"], message: "not a cursor this list gave for this sort" });
  });
export type MemberListQuery = z.output<typeof memberListQuery>;

type SearchParams = Record<string, string | string[] | undefined>;
const flatten = (params: SearchParams) => Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => typeof e[1] === "string"));

/**
 * Parses URL search params leniently: an invalid value is dropped rather than failing the page.
 * `ignored` names the dropped parameters, for the page to say so.
 */
export function parseMemberListQueryLeniently(params: SearchParams): { filter: MemberListQuery; ignored: string[] } {
  let flat = flatten(params);
  const ignored: string[] = [];
  // The cursor's check runs once the other fields are valid, so a second pass may drop it too.
  for (;;) {
    const parsed = memberListQuery.safeParse(flat);
    if (parsed.success) return { filter: parsed.data, ignored };
    const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])).filter((k) => k in flat));
    if (bad.size === 0) return { filter: memberListQuery.parse({}), ignored: Object.keys(flat) }; // not a field's fault: drop all
    ignored.push(...bad);
    flat = Object.fromEntries(Object.entries(flat).filter(([k]) => !bad.has(k)));
  }
}

/** parseMemberListQueryLeniently's filter. */
export const parseMemberListQuery = (params: SearchParams): MemberListQuery => parseMemberListQueryLeniently(params).filter;

/** Parses URL search params strictly (an API): any invalid value → 400 validation_failed naming it. */
export function parseMemberListQueryOrThrow(params: SearchParams): MemberListQuery {
  const parsed = memberListQuery.safeParse(flatten(params));
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** A member id from a URL path segment: 400 naming `memberId` when it cannot be one. */
export function memberIdParamOrThrow(raw: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new AppError("validation_failed", "memberId: a malformed %-escape", [{ path: "memberId", message: "a malformed %-escape" }]);
  }
  const parsed = memberIdParam.safeParse(decoded);
  if (!parsed.success) throw validationError(parsed.error, ["memberId"]);
  return parsed.data;
}
const memberIdParam = safeText().min(1).max(128);

export const adjustMemberInput = z.object({
  memberId: id,
  measure: z.enum(["points", "growth"]),
  delta: z.coerce.number().int("must be a whole number").refine((n) => n !== 0, "must not be 0").refine((n) => Math.abs(n) <= 10_000_000, "at most 10,000,000"),
  reason: safeText().trim().min(2, "a reason is required").max(200),
});
export type AdjustMemberInput = z.output<typeof adjustMemberInput>;

export const grantRightInput = z.object({
  memberId: id,
  rightCode: safeText().trim().min(1, "choose a right").max(40),
  reason: safeText().trim().min(2, "a reason is required").max(200),
});
export type GrantRightInput = z.output<typeof grantRightInput>;

export const setTierInput = z.object({
  memberId: id,
  tierCode: safeText().trim().min(1, "choose a tier").max(40),
  reason: safeText().trim().min(2, "a reason is required").max(200),
});
export type SetTierInput = z.output<typeof setTierInput>;

export const importKinds = ["members", "orders"] as const;
export type ImportKind = (typeof importKinds)[number];

/** Fields a CSV column can be mapped to, per import kind; `required` ones must be mapped. */
export const importFields = {
  members: { required: ["memberId", "registeredAt"], optional: ["name", "phone", "birthday"] },
  orders: { required: ["orderId", "amount", "paidAt"], optional: ["memberId", "memberDiscount"] },
} as const satisfies Record<ImportKind, { required: readonly string[]; optional: readonly string[] }>;

export const importStartInput = z
  .object({
    kind: z.enum(importKinds),
    /** Field → column header of the file. */
    mapping: z.record(z.string(), z.string().max(200)),
  })
  .superRefine((v, ctx) => {
    for (const f of importFields[v.kind].required)
      if (!v.mapping[f]) ctx.addIssue({ code: "custom", path: ["mapping", f], message: `map a column to ${f}` });
  });
export type ImportStartInput = z.output<typeof importStartInput>;
