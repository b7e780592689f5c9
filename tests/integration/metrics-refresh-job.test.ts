import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { jobs } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { JobRunner } from "@/lib/jobs/runner";
import { jobHandlers } from "@/lib/jobs/background";
import { rollupCoverage } from "@/lib/metrics/rollup";
import { distinctCoverage } from "@/lib/metrics/fast-distinct";
import { fastMetrics } from "@/lib/metrics/fast";
import { metrics } from "@/lib/metrics";
import { METRICS_REFRESH_KIND, queueMetricsRefresh } from "@/lib/metrics/refresh-job";
import { testDatabases } from "../db";

describe.each(testDatabases)("metric refreshes on the job queue on $name", ({ open }) => {
  let database: Database;
  let m: string;
  beforeAll(async () => {
    database = await open();
    m = (await createMerchant(database.db, { slug: "refresh-job", name: "R", demoProgram: true })).id;
    await ingestEvents(database.db, m, [
      { id: "r", type: "member.registered", occurredAt: "2026-03-01T09:00:00+08:00", memberId: "M", data: {} },
      { id: "o1", type: "order.paid", occurredAt: "2026-03-02T10:00:00+08:00", memberId: "M", data: { orderId: "o1", amount: 10_000 } },
      { id: "o2", type: "order.paid", occurredAt: "2026-03-20T10:00:00+08:00", memberId: "M", data: { orderId: "o2", amount: 20_000 } },
    ]);
  });
  afterAll(() => database.close());

  const runner = () => new JobRunner({ db: database.db, handlers: jobHandlers });
  const jobRow = async (key: string) => (await database.db.select().from(jobs).where(and(eq(jobs.merchantId, m), eq(jobs.key, key))))[0];

  it("a queued refresh builds both kinds of aggregates when the server's runner takes it; a rebuild starts them again from the earliest data", async () => {
    const db = database.db;
    const key = await queueMetricsRefresh(db, m, { from: "2026-03-01", to: "2026-03-31" });
    expect(await rollupCoverage(db, m)).toBeNull(); // queued, not run
    expect(await jobRow(key)).toMatchObject({ kind: METRICS_REFRESH_KIND, state: "queued" });
    expect(await runner().drain()).toBeGreaterThanOrEqual(1);
    expect(await jobRow(key)).toMatchObject({ state: "done", attempts: 1 });
    expect(await rollupCoverage(db, m)).toEqual({ firstDate: "2026-03-01", throughDate: "2026-03-31" });
    expect((await distinctCoverage(db, m))?.throughDate).toBe("2026-03-31");
    const march = { merchantId: m, from: "2026-03-01", to: "2026-03-31", granularity: "month" as const };
    const fast = await fastMetrics["revenue-share"](db, march);
    expect((fast.total as { memberSpend: number }).memberSpend).toBe(30_000); // ¥100 + ¥200
    expect(fast).toEqual(await metrics["revenue-share"](db, march));

    const again = await queueMetricsRefresh(db, m, { to: "2026-03-10", rebuild: true });
    await runner().drain();
    expect(await jobRow(again)).toMatchObject({ state: "done" });
    // Dropped and built again up to 10 March only.
    expect(await rollupCoverage(db, m)).toEqual({ firstDate: "2026-03-01", throughDate: "2026-03-10" });
    expect((await distinctCoverage(db, m))?.throughDate).toBe("2026-03-10");
  });
});
