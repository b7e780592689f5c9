import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { openDatabase, type Database, type Db } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { createApiKey } from "@/lib/tenancy/api-keys";
import { ingestEvents } from "@/lib/engine/ingest";
import { readOutbox } from "@/lib/outbox/read-outbox";
import { testDatabases } from "../db";

// The route reads the process-wide database: point it at the test's.
const current = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/db/client", async (importOriginal) => ({ ...(await importOriginal<typeof import("@/db/client")>()), getDb: async () => current.db }));
const outbox$ = await import("@/app/api/v1/outbox/route");

interface Page {
  messages: { id: string; memberId: string; template: string; payload: Record<string, unknown>; createdAt: string }[];
  nextCursor: string;
  error?: { code: string; issues: { path: string }[] };
}
async function get(key: string, query: string) {
  const res = await outbox$.GET(new Request(`http://test/api/v1/outbox${query}`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({}) });
  return { status: res.status, json: (await res.json()) as Page };
}
const order = (id: string, memberId: string) => ({ id, type: "order.paid", occurredAt: "2026-03-10T10:00:00+08:00", memberId, data: { orderId: id, amount: 100000 } });
const register = (memberId: string) => ({ id: `r-${memberId}`, type: "member.registered", occurredAt: "2026-03-01T10:00:00+08:00", memberId, data: {} });

describe.each(testDatabases)("the outbox feed on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  let merchantId: string;
  let key: string;
  beforeAll(async () => {
    database = await open();
    db = database.db;
    current.db = db;
    merchantId = (await createMerchant(db, { slug: "out", name: "Out", demoProgram: true })).id;
    key = (await createApiKey(db, merchantId, { name: "shop" })).key;
    const other = (await createMerchant(db, { slug: "out-other", name: "Other", demoProgram: true })).id;
    // Another merchant's message is never in this merchant's feed.
    await ingestEvents(db, other, [register("X"), order("ox", "X")]);
  });
  afterAll(() => database.close());

  it("pages the messages in the order committed; polling from nextCursor sees each once; reading removes nothing", async () => {
    // Each ¥1,000 order upgrades its member to silver: the demo's upgrade_welcome sends one tier_upgraded message.
    await ingestEvents(db, merchantId, [register("A"), order("oa", "A")]);
    await ingestEvents(db, merchantId, [register("B"), order("ob", "B")]);
    await ingestEvents(db, merchantId, [register("C"), order("oc", "C")]);
    const first = await get(key, "?limit=2");
    expect(first.status).toBe(200);
    expect(first.json.messages.map((m) => [m.memberId, m.template])).toEqual([
      ["A", "tier_upgraded"],
      ["B", "tier_upgraded"],
    ]);
    expect(first.json.messages[0].payload).toMatchObject({ automation: "upgrade_welcome", tier: "silver" });
    const second = await get(key, `?after=${first.json.nextCursor}&limit=2`);
    expect(second.json.messages.map((m) => m.memberId)).toEqual(["C"]);
    const empty = await get(key, `?after=${second.json.nextCursor}`);
    expect(empty.json).toEqual({ messages: [], nextCursor: second.json.nextCursor });
    await ingestEvents(db, merchantId, [register("D"), order("od", "D")]);
    expect((await get(key, `?after=${second.json.nextCursor}`)).json.messages.map((m) => m.memberId)).toEqual(["D"]);
    // From the start again: all four, nothing removed.
    expect((await get(key, "")).json.messages.map((m) => m.memberId)).toEqual(["A", "B", "C", "D"]);
  });

  it("refuses a limit outside 1–500 and a cursor it did not give, field by field", async () => {
    for (const q of ["?limit=0", "?limit=501", "?after=abc", "?after=-1"]) {
      const r = await get(key, q);
      expect([q, r.status, r.json.error?.code]).toEqual([q, 400, "validation_failed"]);
      expect(r.json.error?.issues[0].path).toBe(q.includes("limit") ? "limit" : "after");
    }
    expect((await get(key, "?limit=500")).status).toBe(200);
  });

  it("gives a message whose transaction commits late a place after the cursor a reader already holds", async () => {
    // A transaction takes an outbox id, then one that started later commits first and is read.
    const url = (database as Database & { url?: string }).url;
    const late = url ? await openDatabase({ url, migrate: false }) : null;
    const insert = (tx: Db, member: string) =>
      tx.execute(sql`insert into outbox (merchant_id, member_id, template, payload, source, created_at)
        values (${merchantId}, ${member}, 'hello', '{}'::jsonb, ${`test:${member}`}, now())`);
    let cursor = (await readOutbox(db, merchantId, { limit: 500 })).nextCursor;
    if (!late) {
      // One connection (PGlite): no two transactions overlap; the first committed is the first read.
      await insert(db, "L1");
      await insert(db, "L2");
      const page = await readOutbox(db, merchantId, { after: cursor, limit: 500 });
      expect(page.messages.map((m) => m.memberId)).toEqual(["L1", "L2"]);
      return;
    }
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const lowIdInserted = new Promise<void>((r) => (inserted = r));
    const slow = late.db.transaction(async (tx) => {
      await insert(tx, "SLOW");
      inserted();
      await held;
    });
    await lowIdInserted;
    await insert(db, "FAST");
    const seen = await readOutbox(db, merchantId, { after: cursor, limit: 500 });
    expect(seen.messages.map((m) => m.memberId)).toEqual(["FAST"]);
    cursor = seen.nextCursor;
    release();
    await slow;
    await late.close();
    const next = await readOutbox(db, merchantId, { after: cursor, limit: 500 });
    expect(next.messages.map((m) => m.memberId)).toEqual(["SLOW"]);
    expect(Number(next.messages[0].id)).toBeLessThan(Number(seen.messages[0].id));
  });
});
