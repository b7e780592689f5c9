import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { currentProgram, listVersions, loadProgramVersion, type LoadedProgram } from "@/lib/program/store";
import { addDays, startOfBusinessDate } from "@/lib/util/dates";
import { periodsOf, type Granularity, type Period } from "./periods";

export interface MetricParams {
  merchantId: string;
  /** First business date, YYYY-MM-DD. */
  from: string;
  /** Last business date (inclusive), YYYY-MM-DD. */
  to: string;
  granularity: Granularity;
  /**
   * A tier filter. For the metrics converted to "the tier held at the time" (lib/metrics/held-tier.ts:
   * revenue-share, rights-cost, member-roi, points, tier-distribution, lifecycle, rfm): flows count
   * when the member held the tier at the flow's time, states at the end of a period count the members
   * in the tier then. The others still read it as "tier now" (members.tier_code, `inTier`).
   */
  tier?: string | null;
}

export interface MetricResult<S extends object = object, T extends object = object> {
  name: string;
  from: string;
  to: string;
  series: ({ period: string } & S)[];
  total: T;
}

export type Metric = (db: Db, params: MetricParams) => Promise<MetricResult>;

export interface MetricContext {
  db: Db;
  merchantId: string;
  from: string;
  to: string;
  granularity: Granularity;
  tier: string | null;
  /** The program as it is now: tier ranks, right codes, the time zone. */
  program: LoadedProgram;
  timeZone: string;
  /** The program in force at the end of a business date (for day counts, costs and point value of that day). */
  programOn(date: string): Promise<LoadedProgram>;
}

export async function metricContext(db: Db, params: MetricParams): Promise<MetricContext> {
  const program = await currentProgram(db, params.merchantId);
  const tier = params.tier ?? null;
  if (tier !== null && !program.tiers.some((t) => t.code === tier))
    throw new AppError("validation_failed", `tier: no tier "${tier}" in the program`, [{ path: "tier", message: `no tier "${tier}" in the program` }]);
  const versions = await listVersions(db, params.merchantId);
  const timeZone = program.timeZone;
  return {
    db,
    merchantId: params.merchantId,
    from: params.from,
    to: params.to,
    granularity: params.granularity,
    tier,
    program,
    timeZone,
    async programOn(date) {
      const endOfDay = startOfBusinessDate(addDays(date, 1), timeZone);
      let version = versions[0]?.version ?? program.version;
      for (const v of versions) if (v.effectiveFrom < endOfDay) version = v.version;
      return loadProgramVersion(db, params.merchantId, version);
    },
  };
}

/** The periods as a table `p(i, p_start, p_end)` (i = index in `periods`), plus extra per-period columns. */
export function periodTable(periods: Period[], extra: { name: string; values: (p: Period, i: number) => SQL }[] = []): SQL {
  const rows = periods.map(
    (p, i) => sql`(${i}::int, ${p.start}::date, ${p.end}::date${sql.join(extra.map((e) => sql`, ${e.values(p, i)}`))})`,
  );
  const cols = ["i", "p_start", "p_end", ...extra.map((e) => e.name)].join(", ");
  return sql`(values ${sql.join(rows, sql`, `)}) as p(${sql.raw(cols)})`;
}

/** `and <column> is one of the members whose tier is the filter tier now`, or nothing without a filter. */
export function inTier(ctx: MetricContext, column: SQL): SQL {
  if (ctx.tier === null) return sql``;
  return sql`and ${column} in (select m.member_id from members m where m.merchant_id = ${ctx.merchantId} and m.tier_code = ${ctx.tier})`;
}

/**
 * Net spend in the period of the row `p`: paid amounts on their payment day minus refunds on their
 * refund day. Members: orders with a member (of the filter tier); guests: orders without one.
 */
export function netSpend(ctx: MetricContext, who: "members" | "guests"): SQL {
  const orderWho = who === "members" ? sql`o.member_id is not null ${inTier(ctx, sql`o.member_id`)}` : sql`o.member_id is null`;
  const refundWho = who === "members" ? sql`r.member_id is not null ${inTier(ctx, sql`r.member_id`)}` : sql`r.member_id is null`;
  return sql`(
    coalesce((select sum(o.amount) from orders o
              where o.merchant_id = ${ctx.merchantId} and ${orderWho} and o.business_date between p.p_start and p.p_end), 0)
  - coalesce((select sum(r.amount) from refunds r
              where r.merchant_id = ${ctx.merchantId} and ${refundWho} and r.business_date between p.p_start and p.p_end), 0)
  )::bigint`;
}

/** Cost of rights in the period of the row `p`: unit cost of instances redeemed in it + member discounts on member orders paid in it. */
export function rightsCostSql(ctx: MetricContext): SQL {
  return sql`(
    coalesce((select sum(ri.unit_cost) from right_instances ri
              where ri.merchant_id = ${ctx.merchantId} and ri.redeemed_date between p.p_start and p.p_end ${inTier(ctx, sql`ri.member_id`)}), 0)
  + coalesce((select sum(o.member_discount) from orders o
              where o.merchant_id = ${ctx.merchantId} and o.member_id is not null
                and o.business_date between p.p_start and p.p_end ${inTier(ctx, sql`o.member_id`)}), 0)
  )::bigint`;
}

/** a / b, or null when b is 0: rates are never 0 or NaN for an empty denominator. */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/** A number from a driver value (bigint and numeric arrive as strings on postgres.js). */
export function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

export async function rowsByPeriod<T extends { i: unknown }>(ctx: MetricContext, query: SQL): Promise<Map<number, T[]>> {
  const rows = await queryRows<T>(ctx.db, query);
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const i = num(r.i);
    out.set(i, [...(out.get(i) ?? []), r]);
  }
  return out;
}

/**
 * Runs `compute` once for the periods of the range and once for the whole range as one period:
 * the total is the metric over [from, to] (not a sum of the series, which would be wrong for
 * distinct counts and rates).
 */
export async function seriesAndTotal<S extends object>(
  name: string,
  ctx: MetricContext,
  compute: (periods: Period[]) => Promise<S[]>,
): Promise<MetricResult<S, S>> {
  const periods = periodsOf(ctx.from, ctx.to, ctx.granularity);
  const rows = await compute(periods);
  const [total] = await compute([{ start: ctx.from, end: ctx.to }]);
  return { name, from: ctx.from, to: ctx.to, series: periods.map((p, i) => ({ period: p.start, ...rows[i] })), total };
}
