import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { addMonths } from "@/lib/util/dates";
import { metricContext, num, ratio, type MetricParams, type MetricResult } from "./common";
import { monthsOf } from "./periods";
import { tierAtRegistration } from "./tier-at-time";

/** Months after the registration month tracked by a cohort row: k = 0..11. */
export const RETENTION_MONTHS = 12;

export interface RetentionCohort {
  /** Members registered in the cohort month (within [from, to]). */
  members: number;
  /** retained[k]: of them, members with a paid order in month m + k; null when that month starts after `to`. */
  retained: (number | null)[];
  /** rates[k] = retained[k] / members; null when not observable or the cohort is empty. */
  rates: (number | null)[];
}

export interface RetentionTotal {
  members: number;
  /** Sum of retained[k] over the cohorts for which month m + k is observable (null: none is). */
  retained: (number | null)[];
  /** Members of the cohorts for which month m + k is observable. */
  base: number[];
  rates: (number | null)[];
}

/**
 * retention: one cohort row per calendar month m overlapping [from, to] (always monthly: the
 * granularity is ignored); period = the month's first day clipped to `from`. The cohort is the
 * members registered in m (registered_at in the merchant's time zone) and within [from, to]. For
 * k = 0..11, retained[k] = cohort members with ≥ 1 paid order whose business date is in month m + k
 * and not after `to`; months m + k that start after `to` are not observed (null). The total pools
 * the cohorts: for each k, the retained members over the members of the cohorts that observe k.
 * Tier filter: the members whose tier at registration (first tier_history row) is that tier.
 */
export async function retention(db: Db, params: MetricParams): Promise<MetricResult<RetentionCohort, RetentionTotal>> {
  const ctx = await metricContext(db, params);
  const { from, to, merchantId } = ctx;
  const cohortSql = sql`
    select m.member_id, to_char(m.registered_date, 'YYYY-MM') as cohort,
           extract(year from m.registered_date)::int * 12 + extract(month from m.registered_date)::int - 1 as cohort_index
    from (
      select mm.member_id, (mm.registered_at at time zone ${ctx.timeZone})::date as registered_date
      from members mm
      where mm.merchant_id = ${merchantId} ${ctx.tier === null ? sql`` : sql`and ${tierAtRegistration(merchantId, sql`mm.member_id`)} = ${ctx.tier}`}
    ) m
    where m.registered_date between ${from}::date and ${to}::date`;
  const sizes = await queryRows<{ cohort: string; n: number }>(
    db,
    sql`select c.cohort, count(*)::int as n from (${cohortSql}) c group by c.cohort`,
  );
  const active = await queryRows<{ cohort: string; k: number; n: number }>(
    db,
    sql`select a.cohort, a.k, count(distinct a.member_id)::int as n
        from (
          select c.cohort, c.member_id,
                 extract(year from o.business_date)::int * 12 + extract(month from o.business_date)::int - 1 - c.cohort_index as k
          from (${cohortSql}) c
          join orders o on o.merchant_id = ${merchantId} and o.member_id = c.member_id
          where o.business_date <= ${to}::date
        ) a
        where a.k between 0 and ${RETENTION_MONTHS - 1}
        group by a.cohort, a.k`,
  );
  const sizeOf = new Map(sizes.map((s) => [s.cohort, num(s.n)]));
  const activeOf = new Map(active.map((a) => [`${a.cohort}:${num(a.k)}`, num(a.n)]));
  return assembleRetention(from, to, sizeOf, activeOf);
}

/**
 * The retention result from the cohort sizes (by "YYYY-MM") and the retained counts (by
 * "YYYY-MM:k"), both restricted to members registered in [from, to] and orders not after `to`.
 */
export function assembleRetention(from: string, to: string, sizeOf: Map<string, number>, activeOf: Map<string, number>): MetricResult<RetentionCohort, RetentionTotal> {
  const total: RetentionTotal = {
    members: 0,
    retained: Array(RETENTION_MONTHS).fill(null),
    base: Array(RETENTION_MONTHS).fill(0),
    rates: [],
  };
  const series = monthsOf(from, to).map((month) => {
    const cohort = month.slice(0, 7);
    const members = sizeOf.get(cohort) ?? 0;
    total.members += members;
    const retained: (number | null)[] = [];
    const rates: (number | null)[] = [];
    for (let k = 0; k < RETENTION_MONTHS; k++) {
      const observable = addMonths(month, k) <= to;
      if (!observable) {
        retained.push(null);
        rates.push(null);
        continue;
      }
      const n = activeOf.get(`${cohort}:${k}`) ?? 0;
      retained.push(n);
      rates.push(ratio(n, members));
      total.retained[k] = (total.retained[k] ?? 0) + n;
      total.base[k] += members;
    }
    return { period: month < from ? from : month, members, retained, rates };
  });
  total.rates = total.retained.map((n, k) => (n === null ? null : ratio(n, total.base[k])));
  return { name: "retention", from, to, series, total };
}
