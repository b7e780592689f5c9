import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { holds, mallItems, mallOrders, members, pointsLots } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { confirmHold, createHold } from "@/lib/checkout/holds";
import { holdInput } from "@/lib/schemas/checkout";
import { mallOrderInput } from "@/lib/schemas/mall";
import { placeOrder } from "@/lib/mall/orders";
import { saveItem } from "@/lib/mall/items";
import { testDatabases } from "../db";

const settle = (ps: Promise<unknown>[]) => Promise.allSettled(ps).then((rs) => rs.map((r) => (r.status === "fulfilled" ? "ok" : ((r.reason as { code?: string }).code ?? String(r.reason)))));
const tally = (xs: string[]) => xs.reduce<Record<string, number>>((t, x) => ({ ...t, [x]: (t[x] ?? 0) + 1 }), {});
const order = (o: Record<string, unknown>) => mallOrderInput.parse(o);

// On PostgreSQL these race for real (a pool of 10 connections); on PGlite they are serialised, and the
// same counts must hold.
describe.each(testDatabases)("points mall under concurrency on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  const now = new Date("2026-12-01T04:00:00Z");
  const ids = Array.from({ length: 100 }, (_, i) => `M${i}`);

  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "mc", name: "Mall race", demoProgram: true })).id;
    // Each member: 100 welcome points. R1..R5 also order ¥9: 100 + 900 = 1,000 points.
    const racers = ["R1", "R2", "R3", "R4", "R5"];
    const res = await ingestEvents(database.db, merchantId, [
      ...[...ids, "S", ...racers].map((m) => ({ id: `r-${m}`, type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: m, data: {} })),
      ...racers.map((m) => ({ id: `o-${m}`, type: "order.paid", occurredAt: "2026-11-26T10:00:00+08:00", memberId: m, data: { orderId: `O-${m}`, amount: 90_000 } })),
    ]);
    expect(res.every((r) => r.status === "applied")).toBe(true);
    await saveItem(database.db, merchantId, { itemId: "pin", name: "徽章", nameEn: "Pin", kind: "goods", points: 10, stock: 30 }, null, "create");
  });
  afterAll(() => database.close());

  it("100 members order an item with stock 30 at once: exactly 30 placed, stock 0", async () => {
    const db = database.db;
    const results = await settle(ids.map((m) => placeOrder(db, merchantId, m, order({ id: `pin-${m}`, itemId: "pin" }), { now })));
    expect(tally(results)).toEqual({ ok: 30, out_of_stock: 70 });
    const [item] = await db.select().from(mallItems).where(and(eq(mallItems.merchantId, merchantId), eq(mallItems.itemId, "pin")));
    expect(item.stock).toBe(0);
    const [{ n }] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(mallOrders).where(and(eq(mallOrders.merchantId, merchantId), eq(mallOrders.itemId, "pin")));
    expect(n).toBe(30);
    // 30 members paid 10 points each: 100 × 100 − 300 = 9,700 points left among the 100.
    const [{ total }] = await db
      .select({ total: sql<number>`sum(${members.pointsBalance})`.mapWith(Number) })
      .from(members)
      .where(and(eq(members.merchantId, merchantId), sql`${members.memberId} like 'M%'`));
    expect(total).toBe(9_700);
  });

  it("one member sends 10 orders at once for a 1-per-month item: exactly 1", async () => {
    const db = database.db;
    await saveItem(db, merchantId, { itemId: "cap", name: "帽子", nameEn: "Cap", kind: "goods", points: 10, perMemberLimit: { count: 1, period: "month" } }, null, "create");
    const results = await settle(Array.from({ length: 10 }, (_, i) => placeOrder(db, merchantId, "S", order({ id: `cap-${i}`, itemId: "cap" }), { now })));
    expect(tally(results)).toEqual({ ok: 1, limit_reached: 9 });
    const [m] = await db.select().from(members).where(and(eq(members.merchantId, merchantId), eq(members.memberId, "S")));
    expect(m.pointsBalance).toBe(90);
  });

  it("a mall order racing a checkout hold over the same 1,000 points: never both", async () => {
    const db = database.db;
    await saveItem(db, merchantId, { itemId: "lamp", name: "台灯", nameEn: "Lamp", kind: "goods", points: 800 }, null, "create");
    for (const m of ["R1", "R2", "R3", "R4", "R5"]) {
      // The hold: 800 points on a ¥200 order (at most 50% = 10,000 points), confirmed at once.
      const hold = async () => {
        await createHold(db, merchantId, m, holdInput.parse({ id: `h-${m}`, orderId: `OH-${m}`, amount: 20_000, points: 800 }), now);
        await confirmHold(db, merchantId, `h-${m}`, now);
      };
      const results = await settle([hold(), placeOrder(db, merchantId, m, order({ id: `lamp-${m}`, itemId: "lamp" }), { now })]);
      expect([...results].sort()).toEqual(["insufficient_points", "ok"]);
      const [row] = await db.select().from(members).where(and(eq(members.merchantId, merchantId), eq(members.memberId, m)));
      const [lots] = await db.select({ n: sql<number>`sum(${pointsLots.remaining})`.mapWith(Number) }).from(pointsLots).where(and(eq(pointsLots.merchantId, merchantId), eq(pointsLots.memberId, m)));
      // 1,000 − 800 = 200, whichever won; the lots agree and never go negative.
      expect(row.pointsBalance).toBe(200);
      expect(lots.n).toBe(200);
      const negative = await db.select().from(pointsLots).where(and(eq(pointsLots.merchantId, merchantId), eq(pointsLots.memberId, m), sql`${pointsLots.remaining} < 0`));
      expect(negative).toEqual([]);
    }
    const open = await db.select().from(holds).where(and(eq(holds.merchantId, merchantId), eq(holds.status, "held")));
    expect(open).toEqual([]);
  });
});
