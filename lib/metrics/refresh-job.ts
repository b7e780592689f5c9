import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { metricDistinctState, metricRollupState } from "@/db/schema";
import { enqueueJob } from "@/lib/jobs/queue";
import type { JobHandler } from "@/lib/jobs/runner";
import { currentProgram } from "@/lib/program/store";
import { addDays, businessDate } from "@/lib/util/dates";
import { randomToken } from "@/lib/util/ids";
import { refreshAggregates } from "./aggregates";

/** The background job kind that builds or extends a merchant's KPI aggregates. */
export const METRICS_REFRESH_KIND = "metrics.refresh";

export interface MetricsRefresh {
  /** First business date to (re)build; default: where the aggregates end (a first build starts at the earliest data). */
  from?: string;
  /** Last business date; default: the last ended business day in the merchant's time zone. */
  to?: string;
  /** Drop both kinds of aggregates first and build them again from the earliest data. */
  rebuild?: boolean;
}

/** Builds or extends the aggregates (what `metrics rollup` and the `metrics.refresh` job do). */
export async function refreshMerchantAggregates(db: Db, merchantId: string, o: MetricsRefresh, now = new Date()) {
  const to = o.to ?? addDays(businessDate(now, (await currentProgram(db, merchantId)).timeZone), -1);
  if (o.rebuild) {
    await db.delete(metricRollupState).where(eq(metricRollupState.merchantId, merchantId));
    await db.delete(metricDistinctState).where(eq(metricDistinctState.merchantId, merchantId));
  }
  return refreshAggregates(db, merchantId, o.from ?? to, to);
}

/** A failed refresh is retried with the default backoff; the aggregates are set-based and extend from where they end, so a retry is safe. */
export const metricsRefreshHandler: JobHandler = {
  async run(job, { db, now }) {
    const p = job.payload as MetricsRefresh;
    await refreshMerchantAggregates(db, job.merchantId, { from: p.from, to: p.to, rebuild: p.rebuild === true }, now());
  },
};

/** Queues a refresh for the server's job runner; answers the job's key. */
export async function queueMetricsRefresh(db: Db, merchantId: string, o: MetricsRefresh, now = new Date()) {
  const key = `metrics:refresh:${now.getTime()}:${randomToken(4)}`;
  const payload = { ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}), ...(o.rebuild ? { rebuild: true } : {}) };
  await enqueueJob(db, { merchantId, kind: METRICS_REFRESH_KIND, key, payload, maxAttempts: 3 }, now);
  return key;
}
