import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, count, eq } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { events, members, users } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { createApiKey, revokeApiKey } from "@/lib/tenancy/api-keys";
import { createUser, updateUser } from "@/lib/tenancy/users";
import { ingestEvents } from "@/lib/engine/ingest";
import { createSession } from "@/lib/auth/sessions";
import { testDatabases } from "../db";

const PASSWORD = "tenancy-test-passphrase";

// Route handlers read the process-wide database and the next-auth session: point both at the test.
const current = vi.hoisted(() => ({ db: null as unknown, uid: null as string | null, sids: {} as Record<string, string> }));
vi.mock("@/db/client", async (importOriginal) => ({ ...(await importOriginal<typeof import("@/db/client")>()), getDb: async () => current.db }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (current.uid ? { uid: current.uid, sid: current.sids[current.uid] } : null),
}));

const eventsRoute = (await import("@/pages/api/v1/events")).default;
const member$ = await import("@/app/api/v1/members/[memberId]/route");
const ledger$ = await import("@/app/api/v1/members/[memberId]/ledger/route");
const rights$ = await import("@/app/api/v1/members/[memberId]/rights/route");
const redeem$ = await import("@/app/api/v1/members/[memberId]/redemptions/route");
const program$ = await import("@/app/api/v1/program/route");
const jobs$ = await import("@/app/api/v1/jobs/period/route");

/** The parts of answers these tests read. */
interface Json {
  error: { code: string; message: string; issues?: { path: string }[] };
  results: { status: string; error: { issues: { path: string }[] } }[];
  spend: { lifetime: number };
}
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
/** The events route is a Pages API route (Node request and response): served here by a Node server of its own. */
let eventsUrl = "";
const eventsServer = http.createServer((req, res) => void eventsRoute(req, res));
const eventsPOST: Handler = async (req) => fetch(eventsUrl, { method: req.method, headers: req.headers, body: await req.text() });
async function call(h: Handler, method: string, key: string | null, opts: { body?: unknown; raw?: string; params?: Record<string, string>; query?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const res = await h(new Request(`http://test/api${opts.query ?? ""}`, { method, headers, body }), { params: Promise.resolve(opts.params ?? {}) });
  return { status: res.status, json: (await res.json()) as Json };
}

beforeAll(async () => {
  await new Promise<void>((resolve) => eventsServer.listen(0, "127.0.0.1", resolve));
  eventsUrl = `http://127.0.0.1:${(eventsServer.address() as AddressInfo).port}/api/v1/events`;
});
afterAll(() => new Promise<void>((resolve) => eventsServer.close(() => resolve())));

describe.each(testDatabases)("tenancy and bad input over the API on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  let A: string, B: string, keyA: string, keyB: string, revokedKeyA: string;
  let analystA: string, operatorA: string, userB: string;
  beforeAll(async () => {
    database = await open();
    db = database.db;
    current.db = db;
    A = (await createMerchant(db, { slug: "ten-a", name: "A", demoProgram: true })).id;
    B = (await createMerchant(db, { slug: "ten-b", name: "B", demoProgram: true })).id;
    keyA = (await createApiKey(db, A, { name: "a" })).key;
    keyB = (await createApiKey(db, B, { name: "b" })).key;
    const r = await createApiKey(db, A, { name: "soon revoked" });
    revokedKeyA = r.key;
    await revokeApiKey(db, A, r.id, null);
    analystA = (await createUser(db, A, { email: "an@a.test", name: "an", role: "analyst", password: PASSWORD })).id;
    operatorA = (await createUser(db, A, { email: "op@a.test", name: "op", role: "operator", password: PASSWORD })).id;
    userB = (await createUser(db, B, { email: "ow@b.test", name: "ow", role: "owner", password: PASSWORD })).id;
    for (const uid of [analystA, operatorA, userB]) current.sids[uid] = await createSession(db, uid);
    await ingestEvents(db, B, [
      { id: "b-reg", type: "member.registered", occurredAt: "2026-03-01T10:00:00+08:00", memberId: "MB", data: {} },
      { id: "b-o", type: "order.paid", occurredAt: "2026-03-02T10:00:00+08:00", memberId: "MB", data: { orderId: "OB", amount: 10000 } },
    ]);
    await ingestEvents(db, A, [{ id: "a-reg", type: "member.registered", occurredAt: "2026-03-01T10:00:00+08:00", memberId: "MA", data: {} }]);
  });
  afterAll(() => database.close());

  it("an API key of A cannot read or change anything of B (404), and B's key can", async () => {
    current.uid = null;
    const p = { memberId: "MB" };
    expect((await call(member$.GET as Handler, "GET", keyA, { params: p })).status).toBe(404);
    expect((await call(ledger$.GET as Handler, "GET", keyA, { params: p })).status).toBe(404);
    expect((await call(rights$.GET as Handler, "GET", keyA, { params: p })).status).toBe(404);
    expect((await call(redeem$.POST as Handler, "POST", keyA, { params: p, body: { id: "x", points: 1, reason: "r" } })).status).toBe(404);
    const ev = await call(eventsPOST, "POST", keyA, { body: { id: "cross", type: "order.paid", occurredAt: "2026-03-03T10:00:00+08:00", memberId: "MB", data: { orderId: "X", amount: 100 } } });
    expect([ev.status, ev.json.error.code]).toEqual([404, "not_found"]);
    const refund = await call(eventsPOST, "POST", keyA, { body: { id: "cross-r", type: "order.refunded", occurredAt: "2026-03-03T10:00:00+08:00", memberId: "MB", data: { orderId: "OB", amount: 100 } } });
    expect(refund.status).toBe(404);
    expect((await call(member$.GET as Handler, "GET", keyB, { params: p })).json.spend.lifetime).toBe(10000);
    // Nothing of B changed.
    const [{ n }] = await db.select({ n: count() }).from(events).where(eq(events.merchantId, B));
    expect(n).toBe(2);
  });

  it("a signed-in user of A gets 404 for B's members too; a revoked key gets 401; no credentials 401", async () => {
    current.uid = operatorA;
    expect((await call(member$.GET as Handler, "GET", null, { params: { memberId: "MB" } })).status).toBe(404);
    expect((await call(member$.GET as Handler, "GET", null, { params: { memberId: "MA" } })).status).toBe(200);
    current.uid = null;
    const revoked = await call(member$.GET as Handler, "GET", revokedKeyA, { params: { memberId: "MA" } });
    expect([revoked.status, revoked.json.error.code]).toEqual([401, "unauthorized"]);
    expect((await call(member$.GET as Handler, "GET", null, { params: { memberId: "MA" } })).status).toBe(401);
    expect((await call(member$.GET as Handler, "GET", "not-a-key", { params: { memberId: "MA" } })).status).toBe(401);
  });

  it("an analyst may read but not configure (403); the period job is the owner's", async () => {
    current.uid = analystA;
    expect((await call(program$.GET as Handler, "GET", null)).status).toBe(200);
    const put = await call(program$.PUT as Handler, "PUT", null, { body: {} });
    expect([put.status, put.json.error.code]).toEqual([403, "forbidden"]);
    expect((await call(eventsPOST, "POST", null, { body: {} })).status).toBe(403);
    current.uid = operatorA;
    expect((await call(jobs$.POST as Handler, "POST", null, { body: { asOf: "2026-03-01" } })).status).toBe(403);
    current.uid = null;
  });

  it("domain functions scope by merchant: A cannot change B's users or keys", async () => {
    const owner = { kind: "user" as const, userId: "x", merchantId: A, role: "owner" as const, email: "o@a", name: "o" };
    await expect(updateUser(db, A, userB, { role: "analyst" }, owner)).rejects.toMatchObject({ code: "not_found" });
    const bKeyId = (await createApiKey(db, B, { name: "b2" })).id;
    await expect(revokeApiKey(db, A, bKeyId, owner)).rejects.toMatchObject({ code: "not_found" });
    const [u] = await db.select().from(users).where(eq(users.id, userB));
    expect(u.role).toBe("owner");
  });

  it("the events route: a chunked body over 1 MiB is 413, another method is 405, and nothing is kept", async () => {
    const before = (await db.select({ n: count() }).from(events).where(eq(events.merchantId, A)))[0].n;
    const big = new TextEncoder().encode(JSON.stringify({ id: "chunked", type: "member.registered", occurredAt: "2026-03-05T10:00:00+08:00", memberId: "MC", data: { pad: "x".repeat(1_100_000) } }));
    const body = new ReadableStream({
      start(c) {
        for (let i = 0; i < big.length; i += 65536) c.enqueue(big.subarray(i, i + 65536));
        c.close();
      },
    });
    const res = await fetch(eventsUrl, { method: "POST", headers: { authorization: `Bearer ${keyA}`, "content-type": "application/json" }, body, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as Json).error.code).toBe("payload_too_large");
    const get = await fetch(eventsUrl, { headers: { authorization: `Bearer ${keyA}` } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect((await db.select({ n: count() }).from(events).where(eq(events.merchantId, A)))[0].n).toBe(before);
  });

  it("bad input: a field-level 400 (or 404/409/413) and nothing kept", async () => {
    current.uid = null;
    const before = (await db.select({ n: count() }).from(events).where(eq(events.merchantId, A)))[0].n;
    const ev = (body: unknown) => call(eventsPOST, "POST", keyA, { body });
    const base = { id: "bad", type: "order.paid", occurredAt: "2026-03-05T10:00:00+08:00", memberId: "MA", data: { orderId: "ob", amount: 100 } };
    const cases: [string, Promise<{ status: number; json: Json }>, number, string | null][] = [
      ["malformed JSON", call(eventsPOST, "POST", keyA, { raw: '{"id": ' }), 400, ""],
      ["unknown type", ev({ ...base, type: "order.teleported" }), 400, "type"],
      ["missing amount", ev({ ...base, data: { orderId: "ob" } }), 400, "data.amount"],
      ["negative amount", ev({ ...base, data: { orderId: "ob", amount: -1 } }), 400, "data.amount"],
      ["fractional amount", ev({ ...base, data: { orderId: "ob", amount: 10.5 } }), 400, "data.amount"],
      ["occurredAt not a date", ev({ ...base, occurredAt: "yesterday" }), 400, "occurredAt"],
      ["unknown member", ev({ ...base, memberId: "ghost" }), 404, "memberId"],
      ["1001 events", ev({ events: Array.from({ length: 1001 }, (_, i) => ({ ...base, id: `b${i}` })) }), 400, "events"],
      ["a body over 1 MiB", call(eventsPOST, "POST", keyA, { raw: JSON.stringify({ ...base, data: { ...base.data, items: ["x".repeat(1_100_000)] } }) }), 413, null],
    ];
    for (const [name, p, status, path] of cases) {
      const r = await p;
      expect(r.status, name).toBe(status);
      expect(typeof r.json.error?.message, name).toBe("string");
      if (path !== null) expect(r.json.error.issues?.map((i) => i.path), name).toContain(path);
    }
    // In a batch the bad one is rejected with its path and the good one applied.
    const batch = await ev({ events: [{ ...base, id: "good-1", data: { orderId: "g1", amount: 100 } }, { ...base, id: "bad-2", data: { orderId: "g2", amount: -3 } }] });
    expect(batch.status).toBe(200);
    expect(batch.json.results.map((r) => r.status)).toEqual(["applied", "rejected"]);
    expect(batch.json.results[1].error.issues[0].path).toBe("events.1.data.amount");
    // A refund above what is left, and an id reused with another body.
    const over = await ev({ ...base, id: "over", type: "order.refunded", data: { orderId: "g1", amount: 101 } });
    expect([over.status, over.json.error.issues?.[0]?.path]).toEqual([400, "data.amount"]);
    const reuse = await ev({ ...base, id: "good-1", data: { orderId: "g1", amount: 999 } });
    expect([reuse.status, reuse.json.error.code]).toEqual([409, "conflict"]);
    const after = (await db.select({ n: count() }).from(events).where(eq(events.merchantId, A)))[0].n;
    expect(after).toBe(before + 1); // only good-1
    const [ma] = await db.select().from(members).where(and(eq(members.merchantId, A), eq(members.memberId, "MA")));
    expect(ma.lifetimeSpend).toBe(100);
  });
});
