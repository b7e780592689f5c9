import { sql, type SQL } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { addDays } from "@/lib/util/dates";
import { num, type MetricContext } from "./common";

/*
 * The tier filter of repurchase, arpu, tier-changes, rights-usage and retention: the tier the member
 * held at the time (as held-tier.ts for the other metrics). Orders: orders.tier_at_order (a refund
 * follows its order's); right instances: right_instances.tier_code; tier moves: the tier moved from;
 * members at the start of a period: their tier then; retention: the tier at registration (the
 * member's first tier_history row).
 */

/** `and <column> = filter tier`, or nothing without a filter. */
export function tierIs(ctx: MetricContext, column: SQL): SQL {
  return ctx.tier === null ? sql`` : sql`and ${column} = ${ctx.tier}`;
}

/** The member's tier at registration: the to_tier of their first tier_history row. */
export function tierAtRegistration(merchantId: string, memberId: SQL): SQL {
  return sql`(select th.to_tier from tier_history th where th.merchant_id = ${merchantId} and th.member_id = ${memberId}
              order by th.business_date, th.changed_at, th.id limit 1)`;
}


/**
 * The change in members per tier from the end of `throughDate` to the end of `day`: the tier moves
 * since (few: one probe per member who moved), +1 for each mover's tier at `day`, −1 for their tier
 * at `throughDate`. Added to the covered day's counts by the fast paths.
 */
export async function tierMovesSince(ctx: MetricContext, throughDate: string, day: string): Promise<{ tier: string; n: number }[]> {
  const latest = (through: string) => sql`
    select l.to_tier from ch cross join lateral (
      select th.to_tier from tier_history th
      where th.merchant_id = ${ctx.merchantId} and th.member_id = ch.member_id and th.business_date <= ${through}::date
      order by th.business_date desc, th.changed_at desc, th.id desc limit 1
    ) l`;
  const rows = await queryRows<{ tier: string; n: number }>(
    ctx.db,
    sql`with ch as (select distinct member_id from tier_history where merchant_id = ${ctx.merchantId}
                      and business_date between ${addDays(throughDate, 1)}::date and ${day}::date)
        select z.tier, sum(z.n)::int as n from (
          select a.to_tier as tier, 1 as n from (${latest(day)}) a
          union all select b.to_tier, -1 from (${latest(throughDate)}) b
        ) z group by z.tier`,
  );
  return rows.map((r) => ({ tier: r.tier, n: num(r.n) }));
}
