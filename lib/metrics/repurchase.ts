import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { metricContext, num, periodTable, ratio, seriesAndTotal, type MetricContext, type MetricParams } from "./common";
import type { Period } from "./periods";
import { tierIs } from "./tier-at-time";

export interface Repurchase {
  buyers: number;
  repeatBuyers: number;
  rate: number | null;
}

/**
 * repurchase: buyers = members with ≥ 1 paid order (orders row, business_date in the period, refunded
 * or not); repeatBuyers = members with ≥ 2; rate = repeatBuyers / buyers. Guest orders do not count.
 * Tier filter: orders placed in that tier (orders.tier_at_order).
 */
export async function repurchase(db: Db, params: MetricParams) {
  const ctx = await metricContext(db, params);
  return seriesAndTotal("repurchase", ctx, (periods) => compute(ctx, periods));
}

async function compute(ctx: MetricContext, periods: Period[]): Promise<Repurchase[]> {
  const rows = await queryRows<{ buyers: number; repeat_buyers: number }>(
    ctx.db,
    sql`select p.i, b.buyers, b.repeat_buyers
        from ${periodTable(periods)}
        cross join lateral (
          select count(*)::int as buyers, count(*) filter (where per_member.orders >= 2)::int as repeat_buyers
          from (
            select o.member_id, count(*) as orders
            from orders o
            where o.merchant_id = ${ctx.merchantId} and o.member_id is not null
              and o.business_date between p.p_start and p.p_end ${tierIs(ctx, sql`o.tier_at_order`)}
            group by o.member_id
          ) per_member
        ) b
        order by p.i`,
  );
  return rows.map((r) => {
    const buyers = num(r.buyers);
    const repeatBuyers = num(r.repeat_buyers);
    return { buyers, repeatBuyers, rate: ratio(repeatBuyers, buyers) };
  });
}
