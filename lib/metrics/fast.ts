import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { listVersions, loadProgramVersion, type LoadedProgram } from "@/lib/program/store";
import { addDays, businessDate } from "@/lib/util/dates";
import { metricContext, num, periodTable, ratio, seriesAndTotal, type Metric, type MetricContext, type MetricParams } from "./common";
import { metrics, type MetricName } from "./index";
import type { Lifecycle } from "./lifecycle";
import { operatingCost, type MemberRoi } from "./member-roi";
import type { Period } from "./periods";
import type { Points } from "./points";
import type { RevenueShare } from "./revenue-share";
import type { Rfm } from "./rfm";
import type { RightsCost } from "./rights-cost";
import type { TierCounts } from "./tier-distribution";
import { fastDistinctMetrics } from "./fast-distinct";
import { rollupCoverage, statesAfter, type RollupCoverage } from "./rollup";
import { checkoutAndMallCostHeld, netSpendHeld, pointsFlowsHeld, rightsCostHeld } from "./held-tier";
import { tierMovesSince } from "./tier-at-time";
import { catchUpOpenDay, openCorrections, openRows, snapshot } from "./open-day";
import { rfmAtOpenDay } from "./rfm-open";

/*
 * The fast path: the same metrics, answered from metric_daily (lib/metrics/rollup.ts) instead of the
 * raw tables. Per period, the days metric_daily covers are summed there (flows) or read at the
 * period's last day (state at the end: points outstanding, tiers, lifecycle, RFM); any day it does
 * not cover yet (typically today, before the period job closes it) is asked of the raw function for
 * just those days, so the answer is always the raw answer. A tier filter ("the tier held at the
 * time") reads the tier's own rows (metric_daily.tier); RFM is snapshotted only on some days
 * (rfm null otherwise: those days are asked of the raw function). The metrics whose distinct
 * counts don't add up over days (tier-changes, rights-usage, repurchase, arpu, retention) come from
 * their own aggregates: lib/metrics/fast-distinct.ts.
 */

type Cov = RollupCoverage;

/** metricContext with programOn memoised per program version (member-roi asks it once per day). */
async function fastContext(db: Db, params: MetricParams): Promise<MetricContext> {
  const ctx = await metricContext(db, params);
  const versions = await listVersions(db, params.merchantId);
  const loaded = new Map<number, Promise<LoadedProgram>>([[ctx.program.version, Promise.resolve(ctx.program)]]);
  // A version starting at instant t is in force at the end of business date d iff t < start of d + 1,
  // i.e. iff businessDate(t) ≤ d: compare dates as strings instead of building instants per day.
  const firstDates = versions.map((v) => ({ version: v.version, from: businessDate(v.effectiveFrom, ctx.timeZone) }));
  return {
    ...ctx,
    programOn(date) {
      let version = firstDates[0]?.version ?? ctx.program.version;
      for (const v of firstDates) if (v.from <= date) version = v.version;
      let p = loaded.get(version);
      if (!p) loaded.set(version, (p = loadProgramVersion(db, params.merchantId, version)));
      return p;
    },
  };
}

/** The parts of a period outside the covered days (each a range to ask the raw function for). */
function uncovered(p: Period, cov: Cov): Period[] {
  const out: Period[] = [];
  if (p.start < cov.firstDate) out.push({ start: p.start, end: p.end < cov.firstDate ? p.end : addDays(cov.firstDate, -1) });
  if (p.end > cov.throughDate) out.push({ start: p.start > cov.throughDate ? p.start : addDays(cov.throughDate, 1), end: p.end });
  return out;
}

const coveredDay = (d: string, cov: Cov) => d >= cov.firstDate && d <= cov.throughDate;

/** The raw metric's total over [start, end] (one period). */
async function rawTotal<T>(name: MetricName, ctx: MetricContext, p: Period): Promise<T> {
  const r = await metrics[name](ctx.db, { merchantId: ctx.merchantId, from: p.start, to: p.end, granularity: "month", tier: ctx.tier });
  return r.total as T;
}

interface DailySums {
  memberSpend: number;
  guestSpend: number;
  rightsCost: number;
  pointsIssued: number;
  pointsRedeemed: number;
  pointsExpired: number;
}

/** Flows per period: sums of metric_daily over the covered days of each period. */
async function dailySums(ctx: MetricContext, periods: Period[], cov: Cov): Promise<DailySums[]> {
  const rows = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`select p.i,
          coalesce(sum(d.member_spend), 0)::bigint as member_spend, coalesce(sum(d.guest_spend), 0)::bigint as guest_spend,
          coalesce(sum(d.rights_cost), 0)::bigint as rights_cost, coalesce(sum(d.points_issued), 0)::bigint as points_issued,
          coalesce(sum(d.points_redeemed), 0)::bigint as points_redeemed, coalesce(sum(d.points_expired), 0)::bigint as points_expired
        from ${periodTable(periods)}
        left join metric_daily d on d.merchant_id = ${ctx.merchantId} and d.tier = ${ctx.tier ?? ""}
          and d.business_date between greatest(p.p_start, ${cov.firstDate}::date) and least(p.p_end, ${cov.throughDate}::date)
        group by p.i order by p.i`,
  );
  return rows.map((r) => ({
    memberSpend: num(r.member_spend),
    guestSpend: num(r.guest_spend),
    rightsCost: num(r.rights_cost),
    pointsIssued: num(r.points_issued),
    pointsRedeemed: num(r.points_redeemed),
    pointsExpired: num(r.points_expired),
  }));
}

/** The metric_daily rows of the given (covered) days, by date. */
async function dailyRows(ctx: MetricContext, dates: string[]) {
  if (dates.length === 0) return new Map<string, Record<string, unknown>>();
  const rows = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`select d.business_date::text as day, d.points_outstanding, d.tiers, d.lifecycle_new, d.lifecycle_active, d.lifecycle_dormant, d.lifecycle_lost, d.rfm
        from metric_daily d
        where d.merchant_id = ${ctx.merchantId} and d.tier = ${ctx.tier ?? ""} and d.business_date in (${sql.join(
          dates.map((x) => sql`${x}::date`),
          sql`, `,
        )})`,
  );
  return new Map(rows.map((r) => [String(r.day), r]));
}

const json = <T>(v: unknown): T => (typeof v === "string" ? (JSON.parse(v) as T) : (v as T));

/** Flows of each period: covered days from metric_daily plus, for the rest, the raw metrics' flow SQL over those days' rows. */
async function flows(ctx: MetricContext, periods: Period[], cov: Cov): Promise<DailySums[]> {
  const allParts = periods.flatMap((p, i) => uncovered(p, cov).map((part) => ({ i, part })));
  const late = allParts.filter((x) => x.part.start > cov.throughDate);
  const lastEnd = late.reduce((m, x) => (x.part.end > m ? x.part.end : m), cov.throughDate);
  const bucket = ctx.tier ?? "*";
  const open = late.length ? await openRows(ctx, cov.throughDate, lastEnd, ["ms", "gs", "rc", "pi", "pr", "pe"], [...new Set([bucket, "*"])]) : null;
  // Days after the rollups from the open day's sums when it serves them, else from the rows.
  const parts = open ? allParts.filter((x) => x.part.start <= cov.throughDate) : allParts;
  const [sums, rows, extra] = await Promise.all([
    dailySums(ctx, periods, cov),
    parts.length
      ? queryRows<Record<string, unknown>>(
          ctx.db,
          // The same expressions as revenue-share, rights-cost and points (held-tier.ts), over the uncovered days only.
          sql`select p.i, ${netSpendHeld(ctx, "members")} as member_spend, ${netSpendHeld(ctx, "guests")} as guest_spend,
                ${rightsCostHeld(ctx)} as rights_cost, f.issued, f.redeemed, f.expired
              from ${periodTable(parts.map((x) => x.part))}
              ${pointsFlowsHeld(ctx)}`,
        )
      : Promise.resolve([]),
    // Checkout's and the mall's part of the rights cost, which no rollup holds, over each whole period.
    queryRows<{ i: number; c: number }>(ctx.db, sql`select p.i, ${checkoutAndMallCostHeld(ctx)} as c from ${periodTable(periods)}`),
  ]);
  for (const r of extra) sums[num(r.i)].rightsCost += num(r.c);
  for (const r of rows) {
    const s = sums[parts[num(r.i)].i];
    s.memberSpend += num(r.member_spend);
    s.guestSpend += num(r.guest_spend);
    s.rightsCost += num(r.rights_cost);
    s.pointsIssued += num(r.issued);
    s.pointsRedeemed += num(r.redeemed);
    s.pointsExpired += num(r.expired);
  }
  if (open)
    for (const { i, part } of late)
      for (const r of open.rows) {
        if (r.d < part.start || r.d > part.end || (r.kind === "gs" ? r.bucket !== "*" : r.bucket !== bucket)) continue;
        const s = sums[i];
        if (r.kind === "ms") s.memberSpend += r.n;
        else if (r.kind === "gs") s.guestSpend += r.n;
        else if (r.kind === "rc") s.rightsCost += r.n;
        else if (r.kind === "pi") s.pointsIssued += r.n;
        else if (r.kind === "pr") s.pointsRedeemed += r.n;
        else if (r.kind === "pe") s.pointsExpired += r.n;
      }
  return sums;
}

/** The open day's changes of kind `kind` to the states at the end of `day` for the filter's bucket (null: it does not serve that day). */
async function openStateChanges(ctx: MetricContext, cov: Cov, day: string, kind: "po" | "tc" | "lc"): Promise<Map<string, number> | null> {
  const open = await openRows(ctx, cov.throughDate, day, [kind], [ctx.tier ?? "*"]);
  if (!open || open.openDate !== day) return null;
  const out = new Map<string, number>();
  for (const r of open.rows) out.set(r.k, (out.get(r.k) ?? 0) + r.n);
  return out;
}

/** The row of the rollups' last covered day for the filter's bucket. */
async function lastCoveredRow(ctx: MetricContext, cov: Cov) {
  return (await dailyRows(ctx, [cov.throughDate])).get(cov.throughDate) ?? null;
}

/** Wraps a fast computation: raw before any rollup exists. */
function fast<S extends object>(name: MetricName, compute: (ctx: MetricContext, periods: Period[], cov: Cov) => Promise<S[]>): Metric {
  return async (db, params) => {
    const before = await rollupCoverage(db, params.merchantId);
    if (!before) return metrics[name](db, params);
    if (params.to > before.throughDate) await catchUpOpenDay(db, params.merchantId);
    // One snapshot for every read of the answer (coverage, rollups, the open day and its log).
    return snapshot(db, async (tx) => {
      const cov = await rollupCoverage(tx, params.merchantId);
      if (!cov) return metrics[name](tx, params);
      const ctx = await fastContext(tx, params);
      return seriesAndTotal(name, ctx, (periods) => compute(ctx, periods, cov));
    });
  };
}

const fastRevenueShare = fast<RevenueShare>("revenue-share", async (ctx, periods, cov) =>
  (await flows(ctx, periods, cov)).map((s) => ({ memberSpend: s.memberSpend, guestSpend: s.guestSpend, share: ratio(s.memberSpend, s.memberSpend + s.guestSpend) })),
);

const fastRightsCost = fast<RightsCost>("rights-cost", async (ctx, periods, cov) =>
  (await flows(ctx, periods, cov)).map((s) => ({ rightsCost: s.rightsCost, memberSpend: s.memberSpend, costRate: ratio(s.rightsCost, s.memberSpend) })),
);

const fastMemberRoi = fast<MemberRoi>("member-roi", async (ctx, periods, cov) => {
  const sums = await flows(ctx, periods, cov);
  return Promise.all(
    sums.map(async (s, i) => {
      const operating = await operatingCost(ctx, periods[i]);
      return { memberSpend: s.memberSpend, rightsCost: s.rightsCost, operatingCost: operating, roi: ratio(s.memberSpend, s.rightsCost + operating) };
    }),
  );
});

/**
 * State at the end of each period: metric_daily's row of its last day, or the raw answer for that day
 * (not covered, no row, or `fromRow` gives null: no snapshot of it that day).
 */
async function endStates<T>(
  ctx: MetricContext,
  periods: Period[],
  cov: Cov,
  name: MetricName,
  fromRow: (r: Record<string, unknown>) => T | null,
  after?: (day: string) => Promise<T | null>,
): Promise<T[]> {
  const rows = await dailyRows(
    ctx,
    periods.map((p) => p.end).filter((d) => coveredDay(d, cov)),
  );
  return Promise.all(
    periods.map(async (p) => {
      const row = coveredDay(p.end, cov) ? rows.get(p.end) : undefined;
      const state = row ? fromRow(row) : p.end > cov.throughDate && after ? await after(p.end) : null;
      return state ?? rawTotal<T>(name, ctx, { start: p.end, end: p.end });
    }),
  );
}

/**
 * The states at the end of `day` after the covered days (statesAfter: the last covered row plus each
 * day's changes), once per metric call (the series' last period and the total end on the same day).
 */
const statesCache = new WeakMap<MetricContext, Map<string, ReturnType<typeof statesAfter>>>();
function statesAt(ctx: MetricContext, cov: Cov, day: string) {
  let m = statesCache.get(ctx);
  if (!m) statesCache.set(ctx, (m = new Map()));
  let x = m.get(day);
  if (!x) m.set(day, (x = statesAfter(ctx.db, ctx.merchantId, cov.throughDate, day)));
  return x;
}

/** Members per tier at the end of `day` after the covered days: the last covered row plus the tier moves since (few). */
async function tiersAfter(ctx: MetricContext, cov: Cov, day: string): Promise<TierCounts | null> {
  const [base, changes] = await Promise.all([lastCoveredRow(ctx, cov), openStateChanges(ctx, cov, day, "tc")]);
  if (!base) return null;
  const counts = new Map(Object.entries(json<TierCounts>(base.tiers) ?? {}));
  if (changes) {
    for (const [k, n] of changes) if (ctx.tier === null || k === ctx.tier) counts.set(k, (counts.get(k) ?? 0) + n);
    return Object.fromEntries([...counts].filter(([, n]) => n !== 0));
  }
  const rows = await tierMovesSince(ctx, cov.throughDate, day);
  for (const r of rows) if (ctx.tier === null || r.tier === ctx.tier) counts.set(r.tier, (counts.get(r.tier) ?? 0) + num(r.n));
  return Object.fromEntries([...counts].filter(([, n]) => n !== 0));
}

const roundHalfUp = (x: number) => Math.floor(x + 0.5);

const fastPoints = fast<Points>("points", async (ctx, periods, cov) => {
  const [sums, outstanding, centiFen] = await Promise.all([
    flows(ctx, periods, cov),
    endStates(
      ctx,
      periods,
      cov,
      "points",
      (r) => ({ outstanding: num(r.points_outstanding) }),
      async (day) => {
        const [changes, base] = await Promise.all([openStateChanges(ctx, cov, day, "po"), lastCoveredRow(ctx, cov)]);
        if (changes && base) return { outstanding: num(base.points_outstanding) + (changes.get("") ?? 0) };
        const st = await statesAt(ctx, cov, day);
        return st ? { outstanding: st.outstanding.find((x) => x.tier === (ctx.tier ?? ""))?.v ?? 0 } : null;
      },
    ),
    Promise.all(periods.map(async (p) => (await ctx.programOn(p.end)).points.pointValueCentiFen)),
  ]);
  return sums.map((s, i) => ({
    issued: s.pointsIssued,
    redeemed: s.pointsRedeemed,
    expired: s.pointsExpired,
    outstanding: outstanding[i].outstanding,
    liability: roundHalfUp((outstanding[i].outstanding * centiFen[i]) / 100),
  }));
});

const fastTierDistribution = fast<TierCounts>("tier-distribution", async (ctx, periods, cov) => {
  const states = await endStates<TierCounts>(ctx, periods, cov, "tier-distribution", (r) => json<TierCounts>(r.tiers), (day) => tiersAfter(ctx, cov, day));
  // Keys as the raw metric gives them: the program's tiers in rank order (0 when empty), then others.
  return states.map((s) => {
    const counts: TierCounts = Object.fromEntries(ctx.program.tiers.map((t) => [t.code, 0]));
    for (const [k, n] of Object.entries(s)) if (n !== 0 || k in counts) counts[k] = n;
    return counts;
  });
});

const fastLifecycle = fast<Lifecycle>("lifecycle", (ctx, periods, cov) =>
  endStates<Lifecycle>(
    ctx,
    periods,
    cov,
    "lifecycle",
    (r) => ({
      new: num(r.lifecycle_new),
      active: num(r.lifecycle_active),
      dormant: num(r.lifecycle_dormant),
      lost: num(r.lifecycle_lost),
    }),
    async (day) => {
      const [changes, base] = await Promise.all([openStateChanges(ctx, cov, day, "lc"), lastCoveredRow(ctx, cov)]);
      if (changes && base)
        return {
          new: num(base.lifecycle_new) + (changes.get("new") ?? 0),
          active: num(base.lifecycle_active) + (changes.get("active") ?? 0),
          dormant: num(base.lifecycle_dormant) + (changes.get("dormant") ?? 0),
          lost: num(base.lifecycle_lost) + (changes.get("lost") ?? 0),
        };
      const st = await statesAt(ctx, cov, day);
      if (!st) return null;
      const k = (stage: string) => st.life.find((x) => x.tier === (ctx.tier ?? "") && x.k === stage)?.v ?? 0;
      return { new: k("new"), active: k("active"), dormant: k("dormant"), lost: k("lost") };
    },
  ),
);

/** The route fastRfm last took for a period ending after the covered days ("open": rfm-open.ts; "raw": the raw function), for the tests and the benchmark. */
export const lastRfmRoute: { route: "open" | "raw" | null } = { route: null };

const fastRfm = fast<Rfm>("rfm", (ctx, periods, cov) =>
  endStates<Rfm>(
    ctx,
    periods,
    cov,
    "rfm",
    (r) => (r.rfm === null ? null : json<Rfm>(r.rfm)),
    // A period ending on the open day: its summary plus the corrections of the keys logged since
    // (once per answer: the series' last period and the total end on the same day).
    (day) => {
      let m = rfmOpenCache.get(ctx);
      if (!m) rfmOpenCache.set(ctx, (m = new Map()));
      let x = m.get(day);
      if (!x) m.set(day, (x = rfmOpen(ctx, cov, day)));
      return x;
    },
  ),
);

const rfmOpenCache = new WeakMap<MetricContext, Map<string, Promise<Rfm | null>>>();
async function rfmOpen(ctx: MetricContext, cov: Cov, day: string): Promise<Rfm | null> {
  const bucket = ctx.tier ?? "*";
  const corr = await openCorrections(ctx, cov.throughDate, day, ["rf", "rm"], [bucket]);
  const answer = corr && corr.openDate === day ? await rfmAtOpenDay(ctx.db, ctx.merchantId, bucket, cov.throughDate, day, corr.rows) : null;
  lastRfmRoute.route = answer ? "open" : "raw";
  return answer;
}

/**
 * The metrics as the API and the dashboards serve them: from the daily rollups where the metric
 * allows, else the raw functions (`metrics`, the reference these must always agree with).
 */
export const fastMetrics: Record<MetricName, Metric> = {
  ...metrics,
  "revenue-share": fastRevenueShare,
  "rights-cost": fastRightsCost,
  "member-roi": fastMemberRoi,
  points: fastPoints,
  "tier-distribution": fastTierDistribution,
  lifecycle: fastLifecycle,
  rfm: fastRfm,
  ...fastDistinctMetrics,
};

/** The metrics fastMetrics answers from the rollups (with or without a tier filter). */
export const rolledUpMetrics: MetricName[] = ["revenue-share", "rights-cost", "member-roi", "points", "tier-distribution", "lifecycle", "rfm"];
