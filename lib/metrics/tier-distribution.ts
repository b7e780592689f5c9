import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { metricContext, num, periodTable, rowsByPeriod, seriesAndTotal, type MetricContext, type MetricParams } from "./common";
import type { Period } from "./periods";

export type TierCounts = Record<string, number>;

/**
 * tier-distribution: members in each tier at the end of the period, read from tier history (each
 * member's latest tier_history row with business_date ≤ the period's last day), not today's tier.
 * Members not registered by then are not counted. Keys: the program's tier codes in rank order (0
 * when empty), then any other code found in history. With a tier filter, only the members in that
 * tier at the end of the period are counted (the other tiers show 0).
 */
export async function tierDistribution(db: Db, params: MetricParams) {
  const ctx = await metricContext(db, params);
  return seriesAndTotal("tier-distribution", ctx, (periods) => compute(ctx, periods));
}

async function compute(ctx: MetricContext, periods: Period[]): Promise<TierCounts[]> {
  const byPeriod = await rowsByPeriod<{ i: number; tier: string; n: number }>(
    ctx,
    sql`select p.i, h.to_tier as tier, count(*)::int as n
        from ${periodTable(periods)}
        cross join lateral (
          select distinct on (th.member_id) th.member_id, th.to_tier
          from tier_history th
          where th.merchant_id = ${ctx.merchantId} and th.business_date <= p.p_end
          order by th.member_id, th.business_date desc, th.changed_at desc, th.id desc
        ) h
        ${ctx.tier === null ? sql`` : sql`where h.to_tier = ${ctx.tier}`}
        group by p.i, h.to_tier`,
  );
  return periods.map((_, i) => {
    const counts: TierCounts = Object.fromEntries(ctx.program.tiers.map((t) => [t.code, 0]));
    for (const r of byPeriod.get(i) ?? []) counts[r.tier] = num(r.n);
    return counts;
  });
}
