import { renderReason, type ReasonCode, type ReasonParams } from "./catalogue";

/** What a ledger or tier-history row carries about its reason: the English text, and its code when known. */
export interface CodedReason {
  reason: string;
  code?: ReasonCode;
  params?: ReasonParams;
}

/** A reason as its code and parameters, with the English text kept beside them for support. */
export function coded(code: ReasonCode, params: ReasonParams = {}): Required<CodedReason> {
  return { code, params, reason: renderReason(code, params, "en")! };
}

/** The columns a row stores for its reason code (none for a row given only a text). */
export function codeColumns(row: { code?: ReasonCode; params?: ReasonParams }, extra: ReasonParams = {}): { reasonCode?: ReasonCode; reasonParams?: ReasonParams } {
  return row.code ? { reasonCode: row.code, reasonParams: { ...row.params, ...extra } } : {};
}

/** The reason, code and parameters columns of a row inserted directly (outside the engine's batch). */
export function reasonColumns(r: CodedReason): { reason: string; reasonCode?: ReasonCode; reasonParams?: ReasonParams } {
  return { reason: r.reason, ...codeColumns(r) };
}
