import type { Db } from "@/db/client";
import { distinctCoverage, refreshDistinctAggregates } from "./fast-distinct";
import { refreshDailyAggregates, rollupCoverage, type RollupCoverage } from "./rollup";
import { refreshOpenDay } from "./open-day";
import { addDays } from "@/lib/util/dates";

/**
 * The documented routine that keeps every KPI aggregate current: the daily rollups
 * (`refreshDailyAggregates`: flows and end-of-day states per tier) and the range-distinct
 * aggregates (`refreshDistinctAggregates`: buyers, repeat buyers, tier moves, rights usage,
 * retention cohorts). Both are set-based and extend from where they end; a first call builds from
 * the merchant's earliest data. Called by `npm run cli -- metrics rollup`, the CLI seed and the
 * benchmark (the first start's demo seed builds the daily rollups only); the period job extends
 * whichever exist with each day it closes.
 */
export async function refreshAggregates(db: Db, merchantId: string, fromDate: string, toDate: string = fromDate): Promise<{ daily: RollupCoverage; distinct: RollupCoverage }> {
  const daily = await refreshDailyAggregates(db, merchantId, fromDate, toDate);
  const distinct = await refreshDistinctAggregates(db, merchantId, fromDate, toDate);
  // The day after them is kept as the open day (lib/metrics/open-day.ts).
  if (daily.throughDate === distinct.throughDate) await refreshOpenDay(db, merchantId, addDays(daily.throughDate, 1));
  return { daily, distinct };
}

/** The period job's step for a day it closed: extend the aggregates that exist (none before a first build). */
export async function extendAggregates(db: Db, merchantId: string, date: string) {
  if (await rollupCoverage(db, merchantId)) await refreshDailyAggregates(db, merchantId, date);
  if (await distinctCoverage(db, merchantId)) await refreshDistinctAggregates(db, merchantId, date);
}

/**
 * After the period job's run (its transactions committed, the merchant's lock released): the day
 * after the last one it closed becomes the open day, built from scratch (lib/metrics/open-day.ts);
 * nothing when the merchant has no aggregates.
 */
export async function openDayAfter(db: Db, merchantId: string, date: string) {
  return refreshOpenDay(db, merchantId, addDays(date, 1));
}
