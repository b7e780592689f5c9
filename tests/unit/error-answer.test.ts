import { describe, expect, it, vi } from "vitest";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { errorResponse } from "@/lib/api/handler";
import { AppError, validationError } from "@/lib/errors";
import { localeOfAcceptLanguage } from "@/i18n/accept-language";
import { programInput } from "@/lib/schemas/program";
import { demoProgram } from "@/lib/program/demo-program";

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

describe("validation messages in the caller's language (Accept-Language)", () => {
  const low = structuredClone(demoProgram);
  low.tiers[2].thresholds = [{ measure: "growth", window: "lifetime", value: 800 }];
  const refused = () => {
    const r = programInput.safeParse(low);
    if (r.success) throw new Error("expected a refusal");
    return validationError(r.error);
  };
  const request = (lang?: string) => new Request("http://x.test/api/v1/program", { headers: lang ? { "accept-language": lang } : {} });

  it("answers zh-CN callers in Chinese, keeping code and path", async () => {
    const body = await errorResponse(refused(), request("zh-CN,zh;q=0.9,en;q=0.8")).json();
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.issues).toEqual([{ path: "tiers.2.thresholds.0.value", message: "须大于下一级「银卡会员」的同类门槛 1,000" }]);
  });

  it("answers others (and callers without the header) in English, as before", async () => {
    const english = [{ path: "tiers.2.thresholds.0.value", message: "must be greater than 1000, the threshold of the tier below (silver)" }];
    expect((await errorResponse(refused(), request()).json()).error.issues).toEqual(english);
    expect((await errorResponse(refused(), request("en-US,zh;q=0.5")).json()).error.issues).toEqual(english);
  });

  it.each([
    [undefined, "en"],
    ["zh", "zh-CN"],
    ["zh-TW;q=0.3, en;q=0.9", "en"],
    ["fr, zh-CN;q=0.8", "zh-CN"],
    ["en;q=0, zh-Hans", "zh-CN"],
    ["de", "en"],
  ])("Accept-Language %s → %s", (header, locale) => {
    expect(localeOfAcceptLanguage(header)).toBe(locale);
  });
});
