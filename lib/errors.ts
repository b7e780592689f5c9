import type { AppLocale } from "@/i18n/config";
import { issueText, type IssueLike } from "@/i18n/issues";

export type ErrorCode =
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "validation_failed"
  | "conflict"
  | "insufficient_points"
  | "insufficient_balance"
  | "right_unavailable"
  | "hold_closed"
  | "out_of_stock"
  | "limit_reached"
  | "not_eligible"
  | "payload_too_large"
  | "unsupported_media_type"
  | "method_not_allowed"
  | "rate_limited";

export interface Issue {
  path: string;
  message: string;
}

const statusOf: Record<ErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  validation_failed: 400,
  conflict: 409,
  insufficient_points: 409,
  insufficient_balance: 409,
  right_unavailable: 409,
  hold_closed: 409,
  out_of_stock: 409,
  limit_reached: 409,
  not_eligible: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  method_not_allowed: 405,
  rate_limited: 429,
};

export const errorCodes = Object.keys(statusOf) as ErrorCode[];

/** A failure the caller can act on; domain functions throw it and routes turn it into the error shape. */
export class AppError extends Error {
  /** The zod issues behind `issues`, their paths prefixed: an answer renders them in the caller's language. */
  sourceIssues?: IssueLike[];
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly issues: Issue[] = [],
  ) {
    super(message);
  }
  get status() {
    return statusOf[this.code];
  }
  toJSON() {
    return { code: this.code, message: this.message, ...(this.issues.length ? { issues: this.issues } : {}) };
  }
  /** toJSON with the validation issues' messages in `locale` (paths unchanged); other messages as they are. */
  toLocalizedJSON(locale: AppLocale) {
    if (locale === "en" || !this.sourceIssues) return this.toJSON();
    const local = this.sourceIssues.map((i) => issueText(i, locale));
    const issues = this.issues.map((i, n) => (n < local.length ? { path: i.path, message: local[n] } : i));
    return { code: this.code, message: issues.map((i) => (i.path ? `${i.path}：${i.message}` : i.message)).join("；"), issues };
  }
}

/** zod issues as `{ path: "events.3.data.amount", message }`. */
export function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }, prefix: (string | number)[] = []): Issue[] {
  return error.issues.map((i) => ({ path: [...prefix, ...i.path].map(String).join("."), message: i.message }));
}

/** The most issues one answer lists; past it a last issue says how many more there were. */
export const MAX_ISSUES = 100;

export function validationError(error: { issues: { path: PropertyKey[]; message: string }[] }, prefix: (string | number)[] = []) {
  const all = issuesOf(error, prefix);
  const more = all.length - MAX_ISSUES;
  const issues = more > 0 ? [...all.slice(0, MAX_ISSUES), { path: "", message: `and ${more} more ${more === 1 ? "issue" : "issues"} not listed` }] : all;
  const err = new AppError("validation_failed", issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; "), issues);
  const source = error.issues.slice(0, MAX_ISSUES);
  if (source.every((i) => typeof (i as { code?: unknown }).code === "string")) err.sourceIssues = source as unknown as IssueLike[];
  return err;
}

/** PostgreSQL's SQLSTATE of a (driver or drizzle-wrapped) database error, if it is one. */
function sqlStateOf(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** The constraint a (driver or drizzle-wrapped) database error names: postgres.js `constraint_name`, PGlite `constraint`. */
export function violatedConstraint(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const name = (e as { constraint_name?: unknown; constraint?: unknown }).constraint_name ?? (e as { constraint?: unknown }).constraint;
    if (typeof name === "string") return name;
  }
  return undefined;
}

/**
 * A unique violation (23505) that reached an answer: two requests raced to make the same thing and
 * this one lost. Answered 409 without the database's text (it names tables, constraints and values).
 */
export function isUniqueViolation(err: unknown) {
  return sqlStateOf(err) === "23505";
}
