import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { metricContext, num, periodTable, ratio, seriesAndTotal, type MetricContext, type MetricParams } from "./common";
import { checkoutAndMallCostHeld, netSpendHeld, rightsCostHeld } from "./held-tier";
import type { Period } from "./periods";

export interface RightsCost {
  rightsCost: number;
  memberSpend: number;
  costRate: number | null;
}

/** The target band of the cost rate shown on the chart. */
export const COST_RATE_BAND = { low: 0.05, high: 0.1 } as const;

/**
 * rights-cost: rightsCost = unit cost of right instances redeemed in the period (redeemed_date) +
 * member_discount of member orders paid in the period + what checkout and the points mall cost
 * (held-tier.ts checkoutAndMallCostHeld: a coupon redeemed at checkout costs the discount it gave,
 * points spent as cash, bonus spent, mall goods); memberSpend = members' net spend (payments
 * on their day minus refunds on theirs); costRate = rightsCost / memberSpend. With a tier filter:
 * orders placed in the tier (tier_at_order; refunds under their order's), instances redeemed while
 * the member held it (lib/metrics/held-tier.ts).
 */
export async function rightsCost(db: Db, params: MetricParams) {
  const ctx = await metricContext(db, params);
  return seriesAndTotal("rights-cost", ctx, (periods) => compute(ctx, periods));
}

async function compute(ctx: MetricContext, periods: Period[]): Promise<RightsCost[]> {
  const rows = await queryRows<{ rights_cost: number; member_spend: number }>(
    ctx.db,
    sql`select p.i, ${rightsCostHeld(ctx)} + ${checkoutAndMallCostHeld(ctx)} as rights_cost, ${netSpendHeld(ctx, "members")} as member_spend
        from ${periodTable(periods)} order by p.i`,
  );
  return rows.map((r) => {
    const rightsCost = num(r.rights_cost);
    const memberSpend = num(r.member_spend);
    return { rightsCost, memberSpend, costRate: ratio(rightsCost, memberSpend) };
  });
}
