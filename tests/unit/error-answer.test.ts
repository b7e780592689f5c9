import { describe, expect, it, vi } from "vitest";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { errorResponse } from "@/lib/api/handler";
import { AppError, validationError } from "@/lib/errors";

/** A PostgreSQL error as postgres.js throws it, wrapped by drizzle as its queries do. */
function dbError(code: string) {
  const cause = Object.assign(new Error('duplicate key value violates unique constraint "redemptions_pkey"'), { code, severity: "ERROR" });
  return new DrizzleQueryError('insert into "redemptions" ("merchant_id", "redemption_id") values ($1, $2)', ["m1", "r1"], cause);
}

describe("error answers carry no SQL and no stack", () => {
  it("a unique violation that reaches an answer is a 409 conflict, without the database's text", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const r = errorResponse(dbError("23505"));
    expect(r.status).toBe(409);
    const body = await r.text();
    expect(JSON.parse(body).error.code).toBe("conflict");
    for (const leak of ["insert", "redemptions", "constraint", "m1", "    at "]) expect(body).not.toContain(leak);
  });

  it("any other database error is a 500 with no text of its own", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const r = errorResponse(dbError("22P05"));
    expect(r.status).toBe(500);
    expect(await r.json()).toEqual({ error: { code: "internal", message: "internal error" } });
  });

  it("lists at most 100 issues, then says how many more", () => {
    const issues = Array.from({ length: 250 }, (_, i) => ({ path: ["rows", i], message: "bad" }));
    const e = validationError({ issues });
    expect(e.issues).toHaveLength(101);
    expect(e.issues[100]).toEqual({ path: "", message: "and 150 more issues not listed" });
    expect(e.message.split("; ")).toHaveLength(101);
    expect(validationError({ issues: issues.slice(0, 100) }).issues).toHaveLength(100);
    expect(new AppError("conflict", "x").status).toBe(409);
  });
});
