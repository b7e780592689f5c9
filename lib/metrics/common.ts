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
   * A tier filter: the tier the member held at the time. Flows count when the member held the tier
   * at the flow's time, states at the end of a period count the members in the tier then
   * (lib/metrics/held-tier.ts; the range-distinct metrics' specifics in lib/metrics/tier-at-time.ts).
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
