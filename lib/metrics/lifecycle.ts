import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { metricContext, num, periodTable, seriesAndTotal, type MetricContext, type MetricParams } from "./common";
import { endsCte, inEnds } from "./held-tier";
import type { Period } from "./periods";

export interface Lifecycle {
  new: number;
  active: number;
  dormant: number;
  lost: number;
}

/**
 * lifecycle, at the end of the period (its last business date E), over members registered by E
 * (registration date = registered_at in the merchant's time zone), with the day counts of the
 * program in force at the end of E:
 * - new: registered within the last newDays days, E included (registration date > E − newDays);
 * - lost (not new): no paid order in the last lostDays days (last order date ≤ E − lostDays, or none);
 * - dormant (not new, not lost): no paid order in the last dormantDays days;
 * - active: the rest.
 * With a tier filter: the members whose tier at the end of E was that one (held-tier.ts).
 */
export async function lifecycle(db: Db, params: MetricParams) {
  const ctx = await metricContext(db, params);
  return seriesAndTotal("lifecycle", ctx, (periods) => compute(ctx, periods));
}

async function compute(ctx: MetricContext, periods: Period[]): Promise<Lifecycle[]> {
  const days = await Promise.all(periods.map(async (p) => (await ctx.programOn(p.end)).lifecycle));
  const table = periodTable(periods, [
    { name: "new_days", values: (_, i) => sql`${days[i].newDays}::int` },
    { name: "dormant_days", values: (_, i) => sql`${days[i].dormantDays}::int` },
    { name: "lost_days", values: (_, i) => sql`${days[i].lostDays}::int` },
  ]);
  const rows = await queryRows<{ new: number; active: number; dormant: number; lost: number }>(
    ctx.db,
    sql`with ${endsCte(ctx, table)} mem as (
          select m.member_id, (m.registered_at at time zone ${ctx.timeZone})::date as registered_date
          from members m
          where m.merchant_id = ${ctx.merchantId}
        )
        select p.i,
          count(c.stage) filter (where c.stage = 'new')::int as new,
          count(c.stage) filter (where c.stage = 'active')::int as active,
          count(c.stage) filter (where c.stage = 'dormant')::int as dormant,
          count(c.stage) filter (where c.stage = 'lost')::int as lost
        from ${table}
        left join lateral (
          select case
                   when mem.registered_date > p.p_end - p.new_days then 'new'
                   when lo.last_date is null or lo.last_date <= p.p_end - p.lost_days then 'lost'
                   when lo.last_date <= p.p_end - p.dormant_days then 'dormant'
                   else 'active'
                 end as stage
          from mem
          cross join lateral (
            select max(o.business_date) as last_date from orders o
            where o.merchant_id = ${ctx.merchantId} and o.member_id = mem.member_id and o.business_date <= p.p_end
          ) lo
          where mem.registered_date <= p.p_end ${inEnds(ctx, sql`p.i`, sql`mem.member_id`)}
        ) c on true
        group by p.i
        order by p.i`,
  );
  return rows.map((r) => ({ new: num(r.new), active: num(r.active), dormant: num(r.dormant), lost: num(r.lost) }));
}
