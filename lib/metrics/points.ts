import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { metricContext, num, periodTable, seriesAndTotal, type MetricContext, type MetricParams } from "./common";
import { inEnds, pointsFlowsHeld, withEnds } from "./held-tier";
import type { Period } from "./periods";

export interface Points {
  issued: number;
  redeemed: number;
  expired: number;
  outstanding: number;
  liability: number;
}

/**
 * points, from points_ledger by business_date:
 * - issued = sum of positive earn / bonus / adjust rows in the period;
 * - redeemed = points spent (spend rows), expired = points expired (expire rows), both as positive numbers;
 * - outstanding = the sum of every delta up to the period's last day (the members' balance then:
 *   clawbacks and negative adjustments included);
 * - liability = outstanding × the value of one point (program in force at the end of the period),
 *   in fen, rounded half up.
 * With a tier filter, the flows count the rows of members holding the tier at the row's instant,
 * outstanding the balances of the members in the tier at the end of the period (held-tier.ts).
 */
export async function points(db: Db, params: MetricParams) {
  const ctx = await metricContext(db, params);
  return seriesAndTotal("points", ctx, (periods) => compute(ctx, periods));
}

async function compute(ctx: MetricContext, periods: Period[]): Promise<Points[]> {
  const centiFen = await Promise.all(periods.map(async (p) => (await ctx.programOn(p.end)).points.pointValueCentiFen));
  const rows = await queryRows<{ issued: number; redeemed: number; expired: number; outstanding: number }>(
    ctx.db,
    sql`${withEnds(ctx, periodTable(periods))}
        select p.i, f.issued, f.redeemed, f.expired,
          coalesce((select sum(pl.delta) from points_ledger pl
                    where pl.merchant_id = ${ctx.merchantId} and pl.business_date <= p.p_end
                      ${inEnds(ctx, sql`p.i`, sql`pl.member_id`)}), 0)::bigint as outstanding
        from ${periodTable(periods)}
        ${pointsFlowsHeld(ctx)}
        order by p.i`,
  );
  return rows.map((r, i) => {
    const outstanding = num(r.outstanding);
    return {
      issued: num(r.issued),
      redeemed: num(r.redeemed),
      expired: num(r.expired),
      outstanding,
      liability: roundHalfUp((outstanding * centiFen[i]) / 100),
    };
  });
}

const roundHalfUp = (x: number) => Math.floor(x + 0.5);
