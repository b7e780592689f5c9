import { langOf, renderReason, type ReasonCode, type ReasonParams } from "./catalogue";
import { parseLegacyReason } from "./legacy";

export { langOf, renderReason, reasonCodes, type Lang, type ReasonCode, type ReasonParams } from "./catalogue";
export { sourceText } from "./source";
export { parseLegacyReason } from "./legacy";

/** A stored row's reason: its code and parameters when it has them (old rows: parsed from the English text). */
export interface StoredReason {
  reason: string;
  reasonCode?: string | null;
  reasonParams?: unknown;
  rule?: string | null;
}

export interface ReasonView {
  reasonCode: ReasonCode | null;
  reasonParams: ReasonParams | null;
  /** The reason in the reader's language; the stored text when no code is known. */
  reason: string;
  /** True when `reason` is the stored text as written (no code known): shown muted as 原文. */
  original: boolean;
}

export function reasonView(row: StoredReason, locale: string): ReasonView {
  const lang = langOf(locale);
  const params = row.reasonParams && typeof row.reasonParams === "object" ? (row.reasonParams as ReasonParams) : {};
  if (row.reasonCode) {
    const text = renderReason(row.reasonCode, params, lang);
    if (text !== null) return { reasonCode: row.reasonCode as ReasonCode, reasonParams: params, reason: text, original: false };
  }
  const parsed = parseLegacyReason(row.reason, row.rule ?? null);
  if (parsed) return { reasonCode: parsed.code, reasonParams: parsed.params, reason: renderReason(parsed.code, parsed.params, lang)!, original: false };
  return { reasonCode: null, reasonParams: null, reason: row.reason, original: true };
}
