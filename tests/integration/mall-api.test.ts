import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database, Db } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { createApiKey } from "@/lib/tenancy/api-keys";
import { createUser } from "@/lib/tenancy/users";
import { ingestEvents } from "@/lib/engine/ingest";
import { createSession } from "@/lib/auth/sessions";
import { testDatabases } from "../db";

const PASSWORD = "mall-api-test-passphrase";

// Route handlers read the process-wide database and the next-auth session: point both at the test.
const current = vi.hoisted(() => ({ db: null as unknown, uid: null as string | null, sids: {} as Record<string, string> }));
vi.mock("@/db/client", async (importOriginal) => ({ ...(await importOriginal<typeof import("@/db/client")>()), getDb: async () => current.db }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (current.uid ? { uid: current.uid, sid: current.sids[current.uid] } : null),
}));

const items$ = await import("@/app/api/v1/mall/items/route");
const item$ = await import("@/app/api/v1/mall/items/[itemId]/route");
const orders$ = await import("@/app/api/v1/members/[memberId]/mall-orders/route");
const cancel$ = await import("@/app/api/v1/mall-orders/[orderId]/cancel/route");

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
/** The parts of the answers these tests read (an error, or a list of items). */
interface Answer {
  error: { code: string; issues: { path: string }[] };
  items: { itemId: string; eligible: boolean }[];
}
async function call(h: unknown, method: string, key: string | null, opts: { body?: unknown; params?: Record<string, string>; query?: string } = {}): Promise<{ status: number; json: Answer }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const res = await (h as Handler)(new Request(`http://test/api${opts.query ?? ""}`, { method, headers, body }), { params: Promise.resolve(opts.params ?? {}) });
  return { status: res.status, json: (await res.json()) as Answer };
}

describe.each(testDatabases)("points mall over the API on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  let key: string;
  let analyst: string;
  let operator: string;

  beforeAll(async () => {
    database = await open();
    db = database.db;
    current.db = db;
    const A = (await createMerchant(db, { slug: "mall-api", name: "A", demoProgram: true })).id;
    key = (await createApiKey(db, A, { name: "shop" })).key;
    analyst = (await createUser(db, A, { email: "an@mall.test", name: "an", role: "analyst", password: PASSWORD })).id;
    operator = (await createUser(db, A, { email: "op@mall.test", name: "op", role: "operator", password: PASSWORD })).id;
    for (const uid of [analyst, operator]) current.sids[uid] = await createSession(db, uid);
    // 100 welcome points + ¥900 (×1): 1,000 points.
    await ingestEvents(db, A, [
      { id: "r", type: "member.registered", occurredAt: "2026-03-01T10:00:00+08:00", memberId: "M", data: {} },
      { id: "o", type: "order.paid", occurredAt: "2026-03-02T10:00:00+08:00", memberId: "M", data: { orderId: "O", amount: 90_000 } },
    ]);
  });
  afterAll(() => database.close());

  it("a shop orders a tote bag: 201, the same again 200, a second one 409 limit_reached, cancel 200 twice", async () => {
    current.uid = null;
    const p = { memberId: "M" };
    const first = await call(orders$.POST, "POST", key, { params: p, body: { id: "a1", itemId: "tote_bag", quantity: 1 } });
    expect([first.status, first.json]).toEqual([201, { id: "a1", memberId: "M", itemId: "tote_bag", quantity: 1, points: 800, cash: 990, status: "placed" }]);
    expect((await call(orders$.POST, "POST", key, { params: p, body: { id: "a1", itemId: "tote_bag", quantity: 1 } })).status).toBe(200);
    const second = await call(orders$.POST, "POST", key, { params: p, body: { id: "a2", itemId: "tote_bag" } });
    expect([second.status, second.json.error.code]).toEqual([409, "limit_reached"]);
    // 1,000 − 800 = 200 points: a 500-point coupon is too dear.
    const poor = await call(orders$.POST, "POST", key, { params: p, body: { id: "a3", itemId: "free_shipping" } });
    expect([poor.status, poor.json.error.code]).toEqual([409, "insufficient_points"]);
    const bad = await call(orders$.POST, "POST", key, { params: p, body: { id: "a4", itemId: "tote_bag", quantity: 1_000_000 } });
    expect([bad.status, bad.json.error.code, bad.json.error.issues.map((i) => i.path)]).toEqual([400, "validation_failed", ["quantity"]]);
    for (let i = 0; i < 2; i++) expect(await call(cancel$.POST, "POST", key, { params: { orderId: "a1" } })).toMatchObject({ status: 200, json: { status: "cancelled" } });
    const list = await call(items$.GET, "GET", key, { query: "?memberId=M" });
    expect(list.json.items.map((i) => [i.itemId, i.eligible])).toEqual([
      ["free_shipping", true],
      ["winback_20", false],
      ["tote_bag", true],
      ["svip_card", false],
    ]);
  });

  it("an analyst reads the mall but may not change it; an operator may; wrong methods answer JSON 405", async () => {
    current.uid = analyst;
    expect((await call(items$.GET, "GET", null)).status).toBe(200);
    const item = { itemId: "mug", name: "马克杯", nameEn: "Mug", kind: "goods", points: 300, stock: 10 };
    expect((await call(items$.POST, "POST", null, { body: item })).status).toBe(403);
    current.uid = operator;
    expect((await call(items$.POST, "POST", null, { body: item })).status).toBe(201);
    const neg = await call(item$.PUT, "PUT", null, { params: { itemId: "mug" }, body: { ...item, points: -5, cash: -1 } });
    expect([neg.status, neg.json.error.issues.map((i) => i.path).sort()]).toEqual([400, ["cash", "points"]]);
    const membership = await call(items$.POST, "POST", null, { body: { ...item, itemId: "svip_card2", kind: "membership", plan: "gold_card" } });
    expect([membership.status, membership.json.error.issues.map((i) => i.path)]).toEqual([400, ["plan"]]);
    const noPlan = await call(items$.POST, "POST", null, { body: { ...item, itemId: "svip_card2", kind: "membership" } });
    expect([noPlan.status, noPlan.json.error.issues.map((i) => i.path)]).toEqual([400, ["plan"]]);
    const wrong = await call(item$.PATCH, "PATCH", null, { params: { itemId: "mug" } });
    expect([wrong.status, wrong.json.error.code]).toEqual([405, "method_not_allowed"]);
  });
});
