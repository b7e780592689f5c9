import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database, Db } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { createApiKey } from "@/lib/tenancy/api-keys";
import { ingestEvents } from "@/lib/engine/ingest";
import { encodeCursor, listMembers } from "@/lib/members/list-members";
import { parseMemberListQuery, parseMemberListQueryLeniently } from "@/lib/schemas/members";
import { AppError } from "@/lib/errors";
import { saveUpload } from "@/lib/members/import-files";
import { createImportJob, getImportJobOrThrow } from "@/lib/members/import-csv";
import { testDatabases } from "../db";

// Route handlers read the process-wide database: point it at the test's.
const current = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/db/client", async (importOriginal) => ({ ...(await importOriginal<typeof import("@/db/client")>()), getDb: async () => current.db }));

const member$ = await import("@/app/api/v1/members/[memberId]/route");
const ledger$ = await import("@/app/api/v1/members/[memberId]/ledger/route");
const rights$ = await import("@/app/api/v1/members/[memberId]/rights/route");
const redeem$ = await import("@/app/api/v1/members/[memberId]/redemptions/route");
const program$ = await import("@/app/api/v1/program/route");
const metrics$ = await import("@/app/api/v1/metrics/[name]/route");
const export$ = await import("@/app/api/members/export/route");
const importJob$ = await import("@/app/api/members/imports/[id]/route");

interface Json {
  error?: { code: string; message: string; issues?: { path: string; message: string }[] };
  points?: { balance: number };
  [k: string]: unknown;
}
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function call(h: Handler, method: string, key: string, opts: { body?: unknown; raw?: string; params?: Record<string, string>; query?: string } = {}) {
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const res = await h(new Request(`http://test/api${opts.query ?? ""}`, { method, headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body }), {
    params: Promise.resolve(opts.params ?? {}),
  });
  const text = await res.text();
  return { status: res.status, text, json: (res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : {}) as Json };
}
const paths = (j: Json) => (j.error?.issues ?? []).map((i) => i.path);

const TZ = { timeZone: "Asia/Shanghai", fullPhone: true };

describe.each(testDatabases)("hardening of the API's inputs on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  let merchantId: string;
  let key: string;
  beforeAll(async () => {
    database = await open();
    db = database.db;
    current.db = db;
    merchantId = (await createMerchant(db, { slug: "hard", name: "H", demoProgram: true })).id;
    key = (await createApiKey(db, merchantId, { name: "k" })).key;
    const res = await ingestEvents(db, merchantId, [
      { id: "r1", type: "member.registered", occurredAt: "2026-03-01T10:00:00+08:00", memberId: "M1", data: {} },
      { id: "r2", type: "member.registered", occurredAt: "2026-03-02T10:00:00+08:00", memberId: "M2", data: {} },
      { id: "o1", type: "order.paid", occurredAt: "2026-03-03T10:00:00+08:00", memberId: "M1", data: { orderId: "O1", amount: 100000 } },
      { id: "o2", type: "order.paid", occurredAt: "2026-03-03T11:00:00+08:00", memberId: "M2", data: { orderId: "O2", amount: 100000 } },
    ]);
    expect(res.every((r) => r.status === "applied")).toBe(true);
  });
  afterAll(() => database.close());

  it("answers 400 naming memberId for a NUL, a lone surrogate or a malformed escape in the path", async () => {
    for (const raw of ["M%00X", "M\u0000X", "M%ED%A0%80", "M\ud800", "M%E0%A4%A"]) {
      for (const [h, method, body] of [
        [member$.GET, "GET", undefined],
        [ledger$.GET, "GET", undefined],
        [rights$.GET, "GET", undefined],
        [redeem$.POST, "POST", { id: "x1", points: 1, reason: "r" }],
      ] as const) {
        const r = await call(h as Handler, method, key, { params: { memberId: raw }, body });
        expect([raw, r.status, r.json.error?.code]).toEqual([raw, 400, "validation_failed"]);
        expect(paths(r.json)).toEqual(["memberId"]);
      }
    }
  });

  it("answers 400 naming the field for a NUL in a redemption's id or reason", async () => {
    const r1 = await call(redeem$.POST as Handler, "POST", key, { params: { memberId: "M1" }, body: { id: "a\u0000b", points: 1, reason: "r" } });
    expect([r1.status, paths(r1.json)]).toEqual([400, ["id"]]);
    const r2 = await call(redeem$.POST as Handler, "POST", key, { params: { memberId: "M1" }, body: { id: "ok-id", points: 1, reason: "x\udc00" } });
    expect([r2.status, paths(r2.json)]).toEqual([400, ["reason"]]);
  });

  it("answers 400 naming q, tier or cursor on the members export", async () => {
    for (const [query, field] of [
      ["?q=a%00b", "q"],
      ["?tier=gold%00", "tier"],
      ["?cursor=not-a-cursor", "cursor"],
      [`?sort=registeredAt&cursor=${encodeCursor("yesterday", "M1")}`, "cursor"],
      [`?sort=lifetimeSpend&cursor=${encodeCursor("abc", "M1")}`, "cursor"],
      [`?sort=memberId&cursor=${encodeCursor("M1", "M\u0000")}`, "cursor"],
    ] as const) {
      const r = await call(export$.GET as Handler, "GET", key, { query });
      expect([query, r.status, r.json.error?.code, paths(r.json)]).toEqual([query, 400, "validation_failed", [field]]);
    }
    expect((await call(export$.GET as Handler, "GET", key, { query: "?q=M1" })).status).toBe(200);
  });

  it("the members page drops a bad q, tier or cursor and says which, instead of failing", async () => {
    const badCursors = [
      "%%%",
      Buffer.from("[1,2,3]").toString("base64url"),
      encodeCursor("not a time", "M1"),
      encodeCursor({ a: 1 } as never, "M1"),
      encodeCursor(Number.NaN, "M1"),
      encodeCursor("2026-03-01T02:00:00.000Z", "M\u0000"),
    ];
    for (const cursor of badCursors) {
      const { filter, ignored } = parseMemberListQueryLeniently({ cursor, sort: "registeredAt" });
      expect(ignored).toEqual(["cursor"]);
      const page = await listMembers(db, merchantId, filter, TZ);
      expect(page.rows.map((r) => r.memberId)).toEqual(["M2", "M1"]);
    }
    // A bad q and a bad cursor (the cursor is checked once the rest is valid): both dropped.
    const both = parseMemberListQueryLeniently({ q: "x\u0000", tier: "\udfff", cursor: encodeCursor("abc", "M1"), sort: "pointsBalance" });
    expect(both.ignored.sort()).toEqual(["cursor", "q", "tier"]);
    expect((await listMembers(db, merchantId, both.filter, TZ)).rows).toHaveLength(2);
    // listMembers itself refuses a cursor that did not come through the schema, as a 400, not a database error.
    const raw = { ...parseMemberListQuery({ sort: "lifetimeSpend" }), cursor: encodeCursor("abc", "M1") };
    const err = await listMembers(db, merchantId, raw, TZ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).issues.map((i) => i.path)).toEqual(["cursor"]);
  });

  it("an import that fails on a database error keeps no SQL in its answer; a NUL import id is a 404", async () => {
    const actor = { kind: "user", userId: "u", merchantId, role: "owner", email: "o@h.test", name: "O" } as const;
    const bytes = new TextEncoder().encode("memberId,registeredAt,name\nN1,2026-03-01,a\u0000b\n");
    process.env.IMPORT_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "imports-"));
    const made = await createImportJob(db, merchantId, { kind: "members", fileName: "m.csv", file: await saveUpload(bytes), mapping: { memberId: "memberId", registeredAt: "registeredAt", name: "name" } }, actor);
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    await made.run();
    quiet.mockRestore();
    const r = await call(importJob$.GET as Handler, "GET", key, { params: { id: made.job.id } });
    expect(r.status).toBe(200);
    for (const leak of ["Failed query", "insert", "params:", "    at "]) expect(r.text).not.toContain(leak);
    expect((await getImportJobOrThrow(db, merchantId, made.job.id)).status).not.toBe("running");
    const nul = await call(importJob$.GET as Handler, "GET", key, { params: { id: "x\u0000" } });
    expect([nul.status, nul.json.error?.code]).toEqual([404, "not_found"]);
  });

  it("answers 400 naming tier for a NUL in a metric's tier", async () => {
    const r = await call(metrics$.GET as Handler, "GET", key, { params: { name: "tier-distribution" }, query: "?from=2026-03-01&to=2026-03-31&tier=gold%00" });
    expect([r.status, paths(r.json)]).toEqual([400, ["tier"]]);
  });

  it("one redemption id sent for two members at once: one applies, the other is a 409, never a 500", async () => {
    const balance = async (m: string) => (await call(member$.GET as Handler, "GET", key, { params: { memberId: m } })).json.points!.balance;
    const before = (await balance("M1")) + (await balance("M2"));
    for (let i = 0; i < 10; i++) {
      const body = { id: `race-${i}`, points: 10, reason: "race" };
      const [a, b] = await Promise.all(["M1", "M2"].map((m) => call(redeem$.POST as Handler, "POST", key, { params: { memberId: m }, body })));
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      const lost = a.status === 409 ? a : b;
      expect(lost.json.error?.code).toBe("conflict");
    }
    // Ten redemptions of 10 points applied in all.
    expect(before - (await balance("M1")) - (await balance("M2"))).toBe(100);
  });

  it("a program PUT with thousands of bad entries lists 100 issues and says how many more", async () => {
    const program = (await call(program$.GET as Handler, "GET", key)).json;
    // 700 cells (under the bound of 800), each with a quantity that is not a number: 700 issues.
    const matrix = Array.from({ length: 700 }, () => ({ tierCode: "basic", rightCode: "member_discount", quantity: "x" }));
    const r = await call(program$.PUT as Handler, "PUT", key, { body: { ...program, matrix } });
    expect(r.status).toBe(400);
    const issues = r.json.error!.issues!;
    expect(issues).toHaveLength(101);
    expect(issues[0].path).toBe("matrix.0.quantity");
    expect(issues[99].path).toBe("matrix.99.quantity");
    expect(issues[100]).toEqual({ path: "", message: "and 600 more issues not listed" });
    expect(r.text.length).toBeLessThan(30_000);
  });

  it("a campaign's tiers: a list longer than the program's tiers or a repeated tier is refused", async () => {
    const program = (await call(program$.GET as Handler, "GET", key)).json as { campaigns: { targetTiers: string[] }[] };
    const campaign = program.campaigns[0];
    const long = await call(program$.PUT as Handler, "PUT", key, { body: { ...program, campaigns: [{ ...campaign, targetTiers: Array(100_000).fill("gold") }] } });
    expect(long.status).toBe(400);
    expect(long.json.error!.issues!.find((i) => i.path === "campaigns.0.targetTiers")?.message).toBe("at most 8 tiers (a program has at most 8)");
    expect(long.text.length).toBeLessThan(30_000);
    const twice = await call(program$.PUT as Handler, "PUT", key, { body: { ...program, campaigns: [{ ...campaign, targetTiers: ["gold", "silver", "gold"] }] } });
    expect(twice.status).toBe(400);
    expect(twice.json.error!.issues).toEqual([{ path: "campaigns.0.targetTiers.2", message: 'duplicate tier "gold"' }]);
  });
});
