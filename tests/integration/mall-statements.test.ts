import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import { PglitePreparedQuery } from "drizzle-orm/pglite/session";
import { openDatabase, type Database } from "@/db/client";
import { auditLog, domainEvents, mallItems, mallOrderLots, mallOrders, pointsLedger } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { cancelOrder, placeOrder } from "@/lib/mall/orders";
import { saveItem } from "@/lib/mall/items";
import postgres from "postgres";
import { currentProgram } from "@/lib/program/store";
import { mallOrderInput } from "@/lib/schemas/mall";
import { createWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { testDatabases } from "../db";
import { outcome, pointsTotals } from "../checks";

// 2026-12-01 12:00 in Shanghai (the demo program's time zone).
const now = new Date("2026-12-01T04:00:00Z");
const operator: Actor = { kind: "user", userId: "u1", merchantId: "x", role: "operator", email: "op@example.com", name: "Op" };
const order = (id: string) => mallOrderInput.parse({ id, itemId: "tote_bag", quantity: 1 });

/** M1, M2 and M3 of the demo program, each: 100 welcome points and 1,000 points of a ¥1,000 order (1,100); the demo items (tote bag: 800 points + ¥9.90, stock 200, 1 a month). */
async function setUp(database: Database, slug: string) {
  const merchantId = (await createMerchant(database.db, { slug, name: "Mall statements", demoProgram: true })).id;
  const res = await ingestEvents(database.db, merchantId, [
    { id: "r1", type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: "M1", data: {} },
    { id: "o1", type: "order.paid", occurredAt: "2026-11-26T10:00:00+08:00", memberId: "M1", data: { orderId: "O1", amount: 100000 } },
    { id: "r2", type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: "M2", data: {} },
    { id: "o2", type: "order.paid", occurredAt: "2026-11-26T10:00:00+08:00", memberId: "M2", data: { orderId: "O2", amount: 100000 } },
    { id: "r3", type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: "M3", data: {} },
    { id: "o3", type: "order.paid", occurredAt: "2026-11-26T10:00:00+08:00", memberId: "M3", data: { orderId: "O3", amount: 100000 } },
  ]);
  expect(res.map((r) => r.status)).toEqual(["applied", "applied", "applied", "applied", "applied", "applied"]);
  return merchantId;
}

describe.each(testDatabases)("a goods order in two round trips on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  beforeAll(async () => {
    vi.stubEnv("WEBHOOK_ALLOW_PRIVATE", "1");
    database = await open();
    merchantId = await setUp(database, "ms");
    await createWebhookEndpoint(database.db, merchantId, { url: "http://127.0.0.1:9/hooks", types: ["points.spent"] }, null);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await database.close();
  });

  it("writes what the statement-by-statement order wrote: stock, lots, ledger row with its reason code, balance, the points.spent event; a replay answers the same", async () => {
    const db = database.db;
    const expected = { id: "T1", memberId: "M1", itemId: "tote_bag", quantity: 1, points: 800, cash: 990, status: "placed" };
    expect(await placeOrder(db, merchantId, "M1", order("T1"), { now })).toEqual({ order: expected, created: true });
    expect(await placeOrder(db, merchantId, "M1", order("T1"), { now: new Date(now.getTime() + 1_000) })).toEqual({ order: expected, created: false });
    // 1,100 − 800 = 300 points, in the balance, the lots and the ledger.
    expect(await pointsTotals(db, merchantId, "M1")).toEqual({ balance: 300, lots: 300, ledger: 300 });
    const [item] = await db.select({ stock: mallItems.stock }).from(mallItems).where(and(eq(mallItems.merchantId, merchantId), eq(mallItems.itemId, "tote_bag")));
    expect(item.stock).toBe(199);
    const [lots] = await db
      .select({ n: sql<number>`coalesce(sum(${mallOrderLots.points}), 0)`.mapWith(Number) })
      .from(mallOrderLots)
      .where(and(eq(mallOrderLots.merchantId, merchantId), eq(mallOrderLots.orderId, "T1")));
    expect(lots.n).toBe(800);
    const ledger = await db
      .select({ delta: pointsLedger.delta, kind: pointsLedger.kind, rule: pointsLedger.rule, reason: pointsLedger.reason, reasonCode: pointsLedger.reasonCode, reasonParams: pointsLedger.reasonParams, businessDate: pointsLedger.businessDate })
      .from(pointsLedger)
      .where(and(eq(pointsLedger.merchantId, merchantId), eq(pointsLedger.source, "mall:T1")));
    expect(ledger).toEqual([
      { delta: -800, kind: "spend", rule: "mall", reason: "points mall: 1 × Tote bag", reasonCode: "mall_order", reasonParams: { quantity: 1, item: { zh: "帆布袋", en: "Tote bag" } }, businessDate: "2026-12-01" },
    ]);
    const events = await db.select({ type: domainEvents.type, data: domainEvents.data }).from(domainEvents).where(eq(domainEvents.merchantId, merchantId)).orderBy(asc(domainEvents.id));
    expect(events).toEqual([{ type: "points.spent", data: expect.objectContaining({ memberId: "M1", points: 800, delta: -800, rule: "mall", source: "mall:T1", reason: "points mall: 1 × 帆布袋", balance: 300 }) }]);
  });

  it("the limit of 1 a month is counted in the merchant's time zone: 23:59 on 31 December in Shanghai is still December, 00:00 is January", async () => {
    const db = database.db;
    // 2026-12-31T15:59Z is 23:59 in Shanghai: the December order counts → limit_reached (checked before points).
    expect(await outcome(placeOrder(db, merchantId, "M1", order("T2"), { now: new Date("2026-12-31T15:59:00Z") }))).toBe("limit_reached quantity");
    // 2026-12-31T16:00Z is 1 January in Shanghai (still 31 December in UTC): the limit passes; 300 points < 800 → insufficient_points.
    expect(await outcome(placeOrder(db, merchantId, "M1", order("T3"), { now: new Date("2026-12-31T16:00:00Z") }))).toBe("insufficient_points quantity");
    // Neither changed anything.
    expect(await pointsTotals(db, merchantId, "M1")).toEqual({ balance: 300, lots: 300, ledger: 300 });
    const [item] = await db.select({ stock: mallItems.stock }).from(mallItems).where(and(eq(mallItems.merchantId, merchantId), eq(mallItems.itemId, "tote_bag")));
    expect(item.stock).toBe(199);
  });

  it("an operator's order (the console's phone order) names who placed it and is audited in the same transaction", async () => {
    const db = database.db;
    const { order: placed } = await placeOrder(db, merchantId, "M2", order("T4"), { now, actor: operator });
    expect(placed).toEqual({ id: "T4", memberId: "M2", itemId: "tote_bag", quantity: 1, points: 800, cash: 990, status: "placed" });
    const [o] = await db.select({ placedBy: mallOrders.placedBy, businessDate: mallOrders.businessDate, unitCost: mallOrders.unitCost }).from(mallOrders).where(and(eq(mallOrders.merchantId, merchantId), eq(mallOrders.orderId, "T4")));
    expect(o).toEqual({ placedBy: "op@example.com", businessDate: "2026-12-01", unitCost: 1500 });
    const audits = await db.select({ action: auditLog.action, entityId: auditLog.entityId, after: auditLog.after }).from(auditLog).where(and(eq(auditLog.merchantId, merchantId), eq(auditLog.action, "mall.order_place")));
    expect(audits.map((a) => ({ ...a, after: typeof a.after === "string" ? JSON.parse(a.after) : a.after }))).toEqual([
      { action: "mall.order_place", entityId: "M2", after: { order: "T4", item: "tote_bag", quantity: 1, points: 800 } },
    ]);
    // 1,100 − 800 = 300; stock 200 − 2 orders = 198.
    expect(await pointsTotals(db, merchantId, "M2")).toEqual({ balance: 300, lots: 300, ledger: 300 });
    const [item] = await db.select({ stock: mallItems.stock }).from(mallItems).where(and(eq(mallItems.merchantId, merchantId), eq(mallItems.itemId, "tote_bag")));
    expect(item.stock).toBe(198);
  });

  it("limits by day, year and ever, each in Shanghai's calendar; a cancelled order no longer counts", async () => {
    const db = database.db;
    for (const [itemId, count, period] of [["daily", 2, "day"], ["yearly", 3, "year"], ["once", 1, "ever"]] as const)
      await saveItem(db, merchantId, { itemId, name: itemId, nameEn: itemId, kind: "goods", points: 10, perMemberLimit: { count, period } }, null, "create");
    let n = 0;
    const place = (itemId: string, quantity: number, at: string) =>
      outcome(placeOrder(db, merchantId, "M3", mallOrderInput.parse({ id: `L${++n}`, itemId, quantity }), { now: new Date(at) }));
    // 2 a day: 23:00 and 23:59 on 1 December in Shanghai are the same day; 00:00 (16:00Z) is the next.
    expect(await place("daily", 2, "2026-12-01T15:00:00Z")).toBe("ok");
    expect(await place("daily", 1, "2026-12-01T15:59:00Z")).toBe("limit_reached quantity");
    expect(await place("daily", 1, "2026-12-01T16:00:00Z")).toBe("ok");
    // 3 a year: 23:00 and 23:59 on 31 December 2026 in Shanghai; 1 January 2027 starts a new year there.
    expect(await place("yearly", 3, "2026-12-31T15:00:00Z")).toBe("ok");
    expect(await place("yearly", 1, "2026-12-31T15:59:00Z")).toBe("limit_reached quantity");
    expect(await place("yearly", 1, "2026-12-31T16:00:00Z")).toBe("ok");
    // 1 ever: still counted half a year later, until it is cancelled (order L7).
    expect(await place("once", 1, "2026-12-01T04:00:00Z")).toBe("ok");
    expect(await place("once", 1, "2027-06-01T04:00:00Z")).toBe("limit_reached quantity");
    await cancelOrder(db, merchantId, "L7", { now: new Date("2027-06-01T04:00:00Z") });
    expect(await place("once", 1, "2027-06-01T04:01:00Z")).toBe("ok");
    // Placed: daily 2 + 1, yearly 3 + 1, once 1 (cancelled, its 10 points back) + 1 = 8 units of 10 points: 1,100 − 80 = 1,020.
    expect(await pointsTotals(db, merchantId, "M3")).toEqual({ balance: 1_020, lots: 1_020, ledger: 1_020 });
  });
});

/**
 * A goods order reads the stock, then takes it in its last statement: when another transaction took
 * the last unit in between, the check on mall_items refuses the write and the order answers
 * out_of_stock with nothing written. Two connections are needed to stage it: PostgreSQL only.
 */
describe.each(testDatabases.filter((d) => d.name === "postgres"))("the last unit taken between the read and the write on $name", ({ open }) => {
  let database: Database & { url?: string };
  let merchantId: string;
  beforeAll(async () => {
    database = await open();
    merchantId = await setUp(database, "ms-race");
    await saveItem(database.db, merchantId, { itemId: "last_one", name: "最后一件", nameEn: "Last one", kind: "goods", points: 100, stock: 1 }, null, "create");
  });
  afterAll(() => database.close());

  it("answers out_of_stock and changes nothing", async () => {
    const other = postgres(database.url!, { max: 1, onnotice: () => {} });
    let placing: Promise<string> | undefined;
    try {
      await other.begin(async (tx) => {
        await tx`update mall_items set stock = 0 where merchant_id = ${merchantId} and item_id = 'last_one'`;
        // The order reads stock 1 (the update is not committed) and waits on the item's row in its write.
        placing = outcome(placeOrder(database.db, merchantId, "M1", mallOrderInput.parse({ id: "R1", itemId: "last_one", quantity: 1 }), { now }));
        await new Promise((r) => setTimeout(r, 500));
      });
      expect(await placing).toBe("out_of_stock quantity");
    } finally {
      await other.end();
    }
    const db = database.db;
    expect(await pointsTotals(db, merchantId, "M1")).toEqual({ balance: 1_100, lots: 1_100, ledger: 1_100 });
    const [item] = await db.select({ stock: mallItems.stock }).from(mallItems).where(and(eq(mallItems.merchantId, merchantId), eq(mallItems.itemId, "last_one")));
    expect(item.stock).toBe(0);
    expect(await db.select().from(mallOrders).where(eq(mallOrders.merchantId, merchantId))).toEqual([]);
  });
});

/**
 * What a mall order costs the server is mostly its statements (see checkout-statements.test.ts):
 * counted on PGlite, where the driver can be watched; PostgreSQL gets the same statements pipelined.
 */
describe("mall order statements (PGlite)", () => {
  let database: Database;
  let merchantId: string;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: "memory://" });
    merchantId = await setUp(database, "ms-count");
  });
  afterAll(() => database.close());
  afterEach(() => vi.restoreAllMocks());

  const counted = async (f: () => Promise<unknown>) => {
    const spy = vi.spyOn(PglitePreparedQuery.prototype, "execute");
    await f().catch(() => {});
    const n = spy.mock.calls.length;
    spy.mockRestore();
    return n;
  };

  it("a goods order is three statements (lock, read, write); its replay and a refusal two (lock, read)", async () => {
    // Loads the program into this process's cache first, as any earlier request would have.
    await currentProgram(database.db, merchantId);
    expect(await counted(() => placeOrder(database.db, merchantId, "M1", order("T1"), { now }))).toBe(3);
    expect(await counted(() => placeOrder(database.db, merchantId, "M1", order("T1"), { now }))).toBe(2);
    expect(await counted(() => placeOrder(database.db, merchantId, "M1", order("T2"), { now }))).toBe(2);
    expect(await outcome(placeOrder(database.db, merchantId, "M1", order("T2"), { now }))).toBe("limit_reached quantity");
  });
});
