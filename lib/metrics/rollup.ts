import { eq, sql, type SQL } from "drizzle-orm";
import { writeAll } from "@/lib/engine/sql-json";
import { queryRows, type Db } from "@/db/client";
import { metricDaily, metricRollupState } from "@/db/schema";
import { addDays } from "@/lib/util/dates";
import { lifecycle } from "./lifecycle";
import { points } from "./points";
import { revenueShare } from "./revenue-share";
import { rfm } from "./rfm";
import { rightsCost } from "./rights-cost";
import { tierDistribution } from "./tier-distribution";

export interface RollupCoverage {
  firstDate: string;
  throughDate: string;
}

export async function rollupCoverage(db: Db, merchantId: string): Promise<RollupCoverage | null> {
  const [row] = await db.select().from(metricRollupState).where(eq(metricRollupState.merchantId, merchantId));
  return row ? { firstDate: row.firstDate, throughDate: row.throughDate } : null;
}

/** The first business date holding any data the metrics read (null: none yet). */
async function earliestDataDate(db: Db, merchantId: string): Promise<string | null> {
  const [row] = await queryRows<{ d: string | null }>(
    db,
    sql`select least(
          (select min(business_date) from orders where merchant_id = ${merchantId}),
          (select min(business_date) from refunds where merchant_id = ${merchantId}),
          (select min(business_date) from points_ledger where merchant_id = ${merchantId}),
          (select min(business_date) from tier_history where merchant_id = ${merchantId}),
          (select min(redeemed_date) from right_instances where merchant_id = ${merchantId})
        )::text as d`,
  );
  return row?.d ?? null;
}

/**
 * Brings metric_daily up to date for business dates `fromDate`..`toDate` (default: `fromDate`),
 * keeping the covered days contiguous: it recomputes from the earlier of `fromDate` and the day
 * after the last covered one, through the later of `toDate` and the last covered one (on a first
 * run, from the merchant's earliest data). Each day's row is the raw metric functions' own answer
 * for that day (granularity "day", no tier filter), so the fast path sums exactly what the raw
 * path would count.
 *
 * Routine: the period job calls it at the end of each day it closes
 * (`await refreshDailyAggregates(tx, merchantId, date)` in lib/engine/period.ts runDay); after a
 * bulk load or a backdated correction, call it with the earliest business date touched.
 */
export async function refreshDailyAggregates(db: Db, merchantId: string, fromDate: string, toDate: string = fromDate): Promise<RollupCoverage> {
  const state = await rollupCoverage(db, merchantId);
  let start = fromDate;
  let end = toDate < fromDate ? fromDate : toDate;
  if (state) {
    const next = addDays(state.throughDate, 1);
    if (next < start) start = next;
    if (state.throughDate > end) end = state.throughDate;
  } else {
    const earliest = await earliestDataDate(db, merchantId);
    if (earliest !== null && earliest < start) start = earliest;
  }

  const params = { merchantId, from: start, to: end, granularity: "day" as const };
  const [share, cost, pts, tiers, life, scores] = [
    await revenueShare(db, params),
    await rightsCost(db, params),
    await points(db, params),
    await tierDistribution(db, params),
    await lifecycle(db, params),
    await rfm(db, params),
  ];
  const rows = share.series.map((s, i) => ({
    merchantId,
    businessDate: s.period,
    memberSpend: s.memberSpend,
    guestSpend: s.guestSpend,
    rightsCost: cost.series[i].rightsCost,
    pointsIssued: pts.series[i].issued,
    pointsRedeemed: pts.series[i].redeemed,
    pointsExpired: pts.series[i].expired,
    pointsOutstanding: pts.series[i].outstanding,
    tiers: Object.fromEntries(Object.entries(tiers.series[i]).filter(([k, v]) => k !== "period" && typeof v === "number" && v !== 0)) as Record<string, number>,
    lifecycleNew: life.series[i].new,
    lifecycleActive: life.series[i].active,
    lifecycleDormant: life.series[i].dormant,
    lifecycleLost: life.series[i].lost,
    rfm: { members: scores.series[i].members, grid: scores.series[i].grid, m: scores.series[i].m },
  }));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insert(metricDaily)
      .values(rows.slice(i, i + 500))
      .onConflictDoUpdate({
        target: [metricDaily.merchantId, metricDaily.businessDate],
        set: {
          memberSpend: sql`excluded.member_spend`,
          guestSpend: sql`excluded.guest_spend`,
          rightsCost: sql`excluded.rights_cost`,
          pointsIssued: sql`excluded.points_issued`,
          pointsRedeemed: sql`excluded.points_redeemed`,
          pointsExpired: sql`excluded.points_expired`,
          pointsOutstanding: sql`excluded.points_outstanding`,
          tiers: sql`excluded.tiers`,
          lifecycleNew: sql`excluded.lifecycle_new`,
          lifecycleActive: sql`excluded.lifecycle_active`,
          lifecycleDormant: sql`excluded.lifecycle_dormant`,
          lifecycleLost: sql`excluded.lifecycle_lost`,
          rfm: sql`excluded.rfm`,
        },
      });
  const coverage = { firstDate: state && state.firstDate < start ? state.firstDate : start, throughDate: end };
  await db
    .insert(metricRollupState)
    .values({ merchantId, ...coverage })
    .onConflictDoUpdate({ target: metricRollupState.merchantId, set: { ...coverage, refreshedAt: sql`now()` } });
  return coverage;
}

/**
 * Marks the rollups from `fromDate` on as stale (the fast metrics then read those days from the raw
 * tables until the next refresh). Called by the engine when it writes rows dated on or before the
 * covered days: a backdated event, or a period-job day.
 */
export async function invalidateRollupsFrom(db: Db, merchantId: string, fromDate: string) {
  await writeAll(db, invalidateRollupsSql(merchantId, fromDate));
}

/** invalidateRollupsFrom as statements, for the engine to run among a batch's writes (lib/engine/sql-json.ts writeAll). */
export function invalidateRollupsSql(merchantId: string, fromDate: string): SQL[] {
  return [
    sql`delete from metric_rollup_state where merchant_id = ${merchantId} and first_date >= ${fromDate}::date`,
    sql`update metric_rollup_state set through_date = ${fromDate}::date - 1
        where merchant_id = ${merchantId} and through_date >= ${fromDate}::date and first_date < ${fromDate}::date`,
  ];
}
