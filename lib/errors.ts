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
}

/** zod issues as `{ path: "events.3.data.amount", message }`. */
export function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }, prefix: (string | number)[] = []): Issue[] {
  return error.issues.map((i) => ({ path: [...prefix, ...i.path].map(String).join("."), message: i.message }));
}

export function validationError(error: { issues: { path: PropertyKey[]; message: string }[] }, prefix: (string | number)[] = []) {
  const issues = issuesOf(error, prefix);
  return new AppError("validation_failed", issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; "), issues);
}
