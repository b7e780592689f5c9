import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { mallOrderInput } from "@/lib/schemas/mall";
import { cancelOrder, placeOrder } from "@/lib/mall/orders";
import { metrics } from "@/lib/metrics";
import { testDatabases } from "../db";

const order = (o: Record<string, unknown>) => mallOrderInput.parse(o);
const zero = { orders: 0, quantity: 0, points: 0, cash: 0, cost: 0 };

describe.each(testDatabases)("the mall KPI on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;

  beforeAll(async () => {
    database = await open();
    const db = database.db;
    merchantId = (await createMerchant(db, { slug: "mall-kpi", name: "Mall KPI", demoProgram: true })).id;
    await ingestEvents(
      db,
      merchantId,
      ["A", "B"].flatMap((m) => [
        { id: `r-${m}`, type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: m, data: {} },
        { id: `o-${m}`, type: "order.paid", occurredAt: "2026-11-26T10:00:00+08:00", memberId: m, data: { orderId: `O-${m}`, amount: 490_000 } },
      ]),
    );
    // 30 November 23:30 in Shanghai: A's tote bag (800 points + ¥9.90, unit cost ¥15).
    await placeOrder(db, merchantId, "A", order({ id: "a-tote", itemId: "tote_bag" }), { now: new Date("2026-11-30T15:30:00Z") });
    // 1 December: B's tote bag, A's two free-shipping coupons (2 × 500 points, unit cost ¥8).
    const dec1 = new Date("2026-12-01T04:00:00Z");
    await placeOrder(db, merchantId, "B", order({ id: "b-tote", itemId: "tote_bag" }), { now: dec1 });
    await placeOrder(db, merchantId, "A", order({ id: "a-fs", itemId: "free_shipping", quantity: 2 }), { now: dec1 });
    // 2 December: A's November tote bag cancelled.
    await cancelOrder(db, merchantId, "a-tote", { now: new Date("2026-12-02T04:00:00Z") });
  });
  afterAll(() => database.close());

  it("per item, by month: orders placed net of cancellations in the period they happen", async () => {
    const r = await metrics.mall(database.db, { merchantId, from: "2026-11-01", to: "2026-12-31", granularity: "month" });
    const tote = { orders: 1, quantity: 1, points: 800, cash: 990, cost: 1_500 };
    expect(r.series).toEqual([
      // November: A's tote bag (cancelled only in December).
      { period: "2026-11-01", free_shipping: zero, winback_20: zero, tote_bag: tote, svip_card: zero },
      // December: B's tote bag +1 and A's cancel −1; two coupons: 1,000 points, cost 2 × 800.
      { period: "2026-12-01", free_shipping: { orders: 1, quantity: 2, points: 1_000, cash: 0, cost: 1_600 }, winback_20: zero, tote_bag: zero, svip_card: zero },
    ]);
    // Over both months: three placed, one cancelled.
    expect(r.total).toEqual({ free_shipping: { orders: 1, quantity: 2, points: 1_000, cash: 0, cost: 1_600 }, winback_20: zero, tote_bag: tote, svip_card: zero });
  });

  it("by day the cancel counts on its own day; a tier nobody held has nothing", async () => {
    const r = await metrics.mall(database.db, { merchantId, from: "2026-12-01", to: "2026-12-02", granularity: "day" });
    expect(r.series.map((s) => [s.period, (s as unknown as Record<string, unknown>).tote_bag])).toEqual([
      ["2026-12-01", { orders: 1, quantity: 1, points: 800, cash: 990, cost: 1_500 }],
      ["2026-12-02", { orders: -1, quantity: -1, points: -800, cash: -990, cost: -1_500 }],
    ]);
    const gold = await metrics.mall(database.db, { merchantId, from: "2026-11-01", to: "2026-12-31", granularity: "month", tier: "gold" });
    expect(gold.total).toEqual({ free_shipping: zero, winback_20: zero, tote_bag: zero, svip_card: zero });
  });
});
