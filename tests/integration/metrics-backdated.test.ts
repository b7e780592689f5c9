import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { metrics } from "@/lib/metrics";
import { and, eq } from "drizzle-orm";
import { metricDaily } from "@/db/schema";
import { runPeriodJob } from "@/lib/engine/period";
import { fastMetrics } from "@/lib/metrics/fast";
import { rollupCoverage } from "@/lib/metrics/rollup";
import { refreshAggregates } from "@/lib/metrics/aggregates";
import { distinctCoverage } from "@/lib/metrics/fast-distinct";
import { metricNames } from "@/lib/metrics";
import { testDatabases } from "../db";

describe.each(testDatabases)("rollups and backdated events on $name", ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database.close());

  it("an event dated inside the covered days makes those days stale, and the fast answer stays exact", async () => {
    const db = database.db;
    const m = (await createMerchant(db, { slug: "backdated", name: "B", demoProgram: true })).id;
    await ingestEvents(db, m, [
      { id: "r", type: "member.registered", occurredAt: "2026-03-01T09:00:00+08:00", memberId: "M", data: {} },
      { id: "o1", type: "order.paid", occurredAt: "2026-03-02T10:00:00+08:00", memberId: "M", data: { orderId: "o1", amount: 10_000 } },
      { id: "o2", type: "order.paid", occurredAt: "2026-03-10T10:00:00+08:00", memberId: "M", data: { orderId: "o2", amount: 20_000 } },
    ]);
    await refreshAggregates(db, m, "2026-03-01", "2026-03-31");
    expect((await rollupCoverage(db, m))?.throughDate).toBe("2026-03-31");
    expect((await distinctCoverage(db, m))?.throughDate).toBe("2026-03-31");
    // A late order dated 5 March: both kinds of aggregates now end on 4 March.
    await ingestEvents(db, m, [{ id: "o3", type: "order.paid", occurredAt: "2026-03-05T10:00:00+08:00", memberId: "M", data: { orderId: "o3", amount: 5_000 } }]);
    expect((await rollupCoverage(db, m))?.throughDate).toBe("2026-03-04");
    expect((await distinctCoverage(db, m))?.throughDate).toBe("2026-03-04");
    const params = { merchantId: m, from: "2026-03-01", to: "2026-03-31", granularity: "month" as const };
    const fast = await fastMetrics["revenue-share"](db, params);
    expect(fast).toEqual(await metrics["revenue-share"](db, params));
    expect((fast.total as { memberSpend: number }).memberSpend).toBe(35_000); // ¥100 + ¥200 + ¥50
    // The same with the tier filter (M is basic: the demo program's first tier; nobody is gold).
    for (const tier of ["basic", "gold"]) expect(await fastMetrics["revenue-share"](db, { ...params, tier })).toEqual(await metrics["revenue-share"](db, { ...params, tier }));
    const basic = await fastMetrics["revenue-share"](db, { ...params, tier: "basic" });
    expect((basic.total as { memberSpend: number }).memberSpend).toBe(35_000);
  });

  it("once rollups exist, the period job adds each day it closes (with its RFM snapshot)", async () => {
    const db = database.db;
    const m = (await createMerchant(db, { slug: "period-rollup", name: "P", demoProgram: true })).id;
    await ingestEvents(db, m, [
      { id: "r", type: "member.registered", occurredAt: "2026-03-01T09:00:00+08:00", memberId: "M", data: {} },
      { id: "o1", type: "order.paid", occurredAt: "2026-03-02T10:00:00+08:00", memberId: "M", data: { orderId: "o1", amount: 10_000 } },
    ]);
    await runPeriodJob(db, m, "2026-03-31");
    expect(await rollupCoverage(db, m)).toBeNull(); // no rollups yet: the job does not start them
    await refreshAggregates(db, m, "2026-03-01", "2026-03-31");
    await ingestEvents(db, m, [{ id: "o2", type: "order.paid", occurredAt: "2026-04-01T10:00:00+08:00", memberId: "M", data: { orderId: "o2", amount: 7_000 } }]);
    await runPeriodJob(db, m, "2026-04-02");
    expect((await rollupCoverage(db, m))?.throughDate).toBe("2026-04-02");
    expect((await distinctCoverage(db, m))?.throughDate).toBe("2026-04-02");
    // M bought on 2 March and 1 April: one buyer, a repeat one, over the whole range.
    const all = await fastMetrics.repurchase(db, { merchantId: m, from: "2026-03-01", to: "2026-04-02", granularity: "month" });
    expect(all.total).toEqual({ buyers: 1, repeatBuyers: 1, rate: 1 });
    const [row] = await db
      .select()
      .from(metricDaily)
      .where(and(eq(metricDaily.merchantId, m), eq(metricDaily.businessDate, "2026-04-01"), eq(metricDaily.tier, "")));
    expect(row.memberSpend).toBe(7_000);
    expect(row.rfm?.members).toBe(1);
    for (const tier of [null, "basic"]) {
      const params = { merchantId: m, from: "2026-03-01", to: "2026-04-02", granularity: "week" as const, tier };
      for (const name of metricNames) expect(await fastMetrics[name](db, params), `${name} ${tier}`).toEqual(await metrics[name](db, params));
    }
  });
});
