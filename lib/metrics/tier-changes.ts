import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { metricContext, num, periodTable, ratio, seriesAndTotal, type MetricContext, type MetricParams } from "./common";
import type { Period } from "./periods";
import { tierIs } from "./tier-at-time";

export interface TierChanges {
  upgrades: number;
  downgrades: number;
  upgradeRate: number | null;
  downgradeRate: number | null;
}

/**
 * tier-changes.
 * - upgrades: members with at least one upward tier_history row in the period (direction 'up', or a
 *   'manual' change to a higher-ranked tier); downgrades likewise ('down', or manual to a lower rank).
 *   'initial' and 'trial' rows are neither.
 * - upgradeRate = upgrades / members who existed at the start of the period (a tier_history row
 *   before its first day) and whose tier then (their latest such row) was not the top tier;
 *   downgradeRate = downgrades / those not in the lowest tier then. Ranks: the program now.
 *   As metrics.md says, the numerator is not restricted to the denominator's members (a member
 *   registered and upgraded within the period counts as an upgrade).
 * - Tier filter T: the moves from T, over the members in T at the start of the period (so the
 *   upgrade rate of the top tier and the downgrade rate of the lowest have an empty denominator).
 */
export async function tierChanges(db: Db, params: MetricParams) {
  const ctx = await metricContext(db, params);
  return seriesAndTotal("tier-changes", ctx, (periods) => compute(ctx, periods));
}

async function compute(ctx: MetricContext, periods: Period[]): Promise<TierChanges[]> {
  const tiers = ctx.program.tiers;
  const top = tiers[tiers.length - 1].code;
  const bottom = tiers[0].code;
  const ranks = sql.join(
    tiers.map((t, rank) => sql`(${t.code}::text, ${rank}::int)`),
    sql`, `,
  );
  const rows = await queryRows<{ i: number; upgrades: number; downgrades: number; not_top: number; not_bottom: number }>(
    ctx.db,
    sql`with ranks(code, rank) as (values ${ranks}),
        moves as (
          select th.member_id, th.business_date,
                 case when th.direction = 'up' then 1
                      when th.direction = 'down' then -1
                      when th.direction = 'manual' then sign(t_to.rank - t_from.rank)
                      else 0 end as dir
          from tier_history th
          left join ranks t_from on t_from.code = th.from_tier
          left join ranks t_to on t_to.code = th.to_tier
          where th.merchant_id = ${ctx.merchantId} ${tierIs(ctx, sql`th.from_tier`)}
        )
        select p.i,
          (select count(distinct mv.member_id) from moves mv
            where mv.dir > 0 and mv.business_date between p.p_start and p.p_end)::int as upgrades,
          (select count(distinct mv.member_id) from moves mv
            where mv.dir < 0 and mv.business_date between p.p_start and p.p_end)::int as downgrades,
          s.not_top, s.not_bottom
        from ${periodTable(periods)}
        cross join lateral (
          select count(*) filter (where st.to_tier <> ${top})::int as not_top,
                 count(*) filter (where st.to_tier <> ${bottom})::int as not_bottom
          from (
            select distinct on (th.member_id) th.to_tier
            from tier_history th
            where th.merchant_id = ${ctx.merchantId} and th.business_date < p.p_start
            order by th.member_id, th.business_date desc, th.changed_at desc, th.id desc
          ) st
          where true ${tierIs(ctx, sql`st.to_tier`)}
        ) s
        order by p.i`,
  );
  return rows.map((r) => {
    const upgrades = num(r.upgrades);
    const downgrades = num(r.downgrades);
    return { upgrades, downgrades, upgradeRate: ratio(upgrades, num(r.not_top)), downgradeRate: ratio(downgrades, num(r.not_bottom)) };
  });
}
