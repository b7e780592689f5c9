import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/db/client";
import { orders } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { seedMerchantHistory } from "@/lib/seed/generate";
import { metrics, metricNames, type MetricParams } from "@/lib/metrics";
import { fastMetrics, rolledUpMetrics } from "@/lib/metrics/fast";
import { refreshDailyAggregates, rollupCoverage } from "@/lib/metrics/rollup";
import { testDatabases } from "../db";

/*
 * The fast path (metric_daily + the raw functions for the days it does not cover) must give the
 * raw functions' answer exactly, for every metric, range and granularity: checked on a seeded
 * merchant (300 members, 6 months of history through the engine, ending 2026-06-30).
 */
describe.each(testDatabases)("fast metrics = raw metrics ($name)", ({ open }) => {
  let database: Database;
  let merchantId: string;
  const END = "2026-06-30";

  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "fast", name: "Fast", demoProgram: true })).id;
    await seedMerchantHistory(database.db, merchantId, { members: 300, months: 6, seed: 7, endDate: END });
  }, 600_000);
  afterAll(() => database.close());

  const ranges: Omit<MetricParams, "merchantId">[] = [
    // The 12 months to the end (the history starts in 2025-12: earlier days hold no data).
    { from: "2025-07-01", to: END, granularity: "month" },
    { from: "2026-03-04", to: "2026-06-27", granularity: "week" },
    { from: "2026-05-01", to: "2026-05-31", granularity: "day" },
    { from: "2026-06-01", to: END, granularity: "day" },
  ];

  async function expectSame(params: MetricParams) {
    for (const name of metricNames) {
      const [fast, raw] = await Promise.all([fastMetrics[name](database.db, params), metrics[name](database.db, params)]);
      expect(fast, `${name} ${params.from}..${params.to} ${params.granularity}`).toEqual(raw);
    }
  }

  it("the seed made real history to compare on", async () => {
    const rows = await database.db.select({ n: orders.orderId }).from(orders);
    expect(rows.length).toBeGreaterThan(300);
  });

  it("before any rollup the fast path is the raw path", async () => {
    expect(await rollupCoverage(database.db, merchantId)).toBeNull();
    await expectSame({ merchantId, ...ranges[0] });
  });

  it("with the rollups through 2026-06-25: covered days from metric_daily, the last five days raw", async () => {
    const cov = await refreshDailyAggregates(database.db, merchantId, "2026-06-25");
    expect(cov.throughDate).toBe("2026-06-25");
    // A first refresh starts at the merchant's earliest data: the first member's joining (tier_history)
    // day or the first (guest) order, whichever is earlier.
    const [first] = await queryRows<{ d: string }>(
      database.db,
      sql`select least((select min(business_date) from tier_history where merchant_id = ${merchantId}),
                       (select min(business_date) from orders where merchant_id = ${merchantId}))::text as d`,
    );
    expect(cov.firstDate).toBe(first.d);
    expect(cov.firstDate >= "2025-12-30" && cov.firstDate < "2026-02-01").toBe(true);
    for (const r of ranges) await expectSame({ merchantId, ...r });
  }, 600_000);

  it("after refreshing through the end; with a tier filter (raw by design)", async () => {
    const cov = await refreshDailyAggregates(database.db, merchantId, END);
    expect(cov.throughDate).toBe(END);
    for (const r of ranges) await expectSame({ merchantId, ...r });
    await expectSame({ merchantId, ...ranges[0], tier: "silver" });
  }, 600_000);

  it("the rolled-up metrics really read metric_daily: zeroing a covered day changes their answer", async () => {
    const params = { merchantId, from: "2026-05-01", to: "2026-05-31", granularity: "month" as const };
    const before = await fastMetrics["revenue-share"](database.db, params);
    await database.db.execute(
      // A guest-spend bump on one covered day shows up in the fast answer only.
      sql`update metric_daily set guest_spend = guest_spend + 12345 where merchant_id = ${merchantId} and business_date = '2026-05-10'`,
    );
    const after = await fastMetrics["revenue-share"](database.db, params);
    expect((after.total as { guestSpend: number }).guestSpend - (before.total as { guestSpend: number }).guestSpend).toBe(12345);
    expect(rolledUpMetrics).toContain("revenue-share");
    await refreshDailyAggregates(database.db, merchantId, "2026-05-10");
    expect(await fastMetrics["revenue-share"](database.db, params)).toEqual(before);
  }, 600_000);
});
