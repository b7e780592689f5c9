import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { addDays, addMonths } from "@/lib/util/dates";
import { metricContext, num, periodTable, rowsByPeriod, seriesAndTotal, type MetricContext, type MetricParams } from "./common";
import { endsCte, inEnds } from "./held-tier";
import type { Period } from "./periods";

export interface Rfm {
  /** Members scored: those with ≥ 1 paid order in the trailing 12 months. */
  members: number;
  /** grid[r − 1][f − 1] = members with recency score r and frequency score f. */
  grid: number[][];
  /** m[s − 1] = members with monetary score s. */
  m: number[];
}

/**
 * rfm, at the end of the period (last business date E), over the trailing 12 months
 * (E − 12 months, exclusive .. E): the members with ≥ 1 paid order in that window are scored on
 * R = date of their last order in it (later is better), F = orders in it, M = net spend in it
 * (payments minus refunds dated in it). Each score is the quintile of the member's rank:
 * score = 1 + floor(5 × (rank − 1) / n), rank = 1 + the number of scored members strictly worse,
 * so ties share the lower score and the best of n distinct values gets 5 (when n ≥ 5).
 * With a tier filter: the members whose tier at the end of E was that one, scored among themselves
 * (quintiles within the tier), on all their orders in the window (held-tier.ts).
 */
export async function rfm(db: Db, params: MetricParams) {
  const ctx = await metricContext(db, params);
  return seriesAndTotal("rfm", ctx, (periods) => compute(ctx, periods));
}

/** First business date of the trailing 12 months ending at `end`. */
export const rfmWindowStart = (end: string) => addDays(addMonths(end, -12), 1);

async function compute(ctx: MetricContext, periods: Period[]): Promise<Rfm[]> {
  const table = () => periodTable(periods, [{ name: "w_start", values: (p) => sql`${rfmWindowStart(p.end)}::date` }]);
  const byPeriod = await rowsByPeriod<{ i: number; r: number; f: number; m: number; n: number }>(
    ctx,
    sql`with ${endsCte(ctx, table())} buyers as (
          select p.i, o.member_id, max(o.business_date) as last_date, count(*) as orders, sum(o.amount) as paid
          from ${table()}
          join orders o on o.merchant_id = ${ctx.merchantId} and o.member_id is not null
            and o.business_date between p.w_start and p.p_end
          group by p.i, o.member_id
        ),
        refunded as (
          select p.i, r.member_id, sum(r.amount) as amount
          from ${table()}
          join refunds r on r.merchant_id = ${ctx.merchantId} and r.member_id is not null
            and r.business_date between p.w_start and p.p_end
          group by p.i, r.member_id
        ),
        measures as (
          select b.i, b.member_id, b.last_date, b.orders, b.paid - coalesce(rf.amount, 0) as spend
          from buyers b left join refunded rf on rf.i = b.i and rf.member_id = b.member_id
          where true ${inEnds(ctx, sql`b.i`, sql`b.member_id`)}
        ),
        scored as (
          select ms.i,
            1 + 5 * (rank() over (partition by ms.i order by ms.last_date) - 1) / count(*) over (partition by ms.i) as r,
            1 + 5 * (rank() over (partition by ms.i order by ms.orders) - 1) / count(*) over (partition by ms.i) as f,
            1 + 5 * (rank() over (partition by ms.i order by ms.spend) - 1) / count(*) over (partition by ms.i) as m
          from measures ms
        )
        select s.i, s.r::int as r, s.f::int as f, s.m::int as m, count(*)::int as n
        from scored s group by s.i, s.r, s.f, s.m`,
  );
  return periods.map((_, i) => {
    const grid = Array.from({ length: 5 }, () => Array<number>(5).fill(0));
    const m = Array<number>(5).fill(0);
    let members = 0;
    for (const row of byPeriod.get(i) ?? []) {
      const n = num(row.n);
      grid[num(row.r) - 1][num(row.f) - 1] += n;
      m[num(row.m) - 1] += n;
      members += n;
    }
    return { members, grid, m };
  });
}
