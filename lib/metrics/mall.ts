import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { metricContext, num, periodTable, rowsByPeriod, seriesAndTotal, type MetricContext, type MetricParams } from "./common";
import { heldTierAt } from "./held-tier";
import type { Period } from "./periods";

export interface MallItemFigures {
  orders: number;
  quantity: number;
  points: number;
  cash: number;
  cost: number;
}
export type Mall = Record<string, MallItemFigures>;

/**
 * mall (积分商城), per item id: orders placed in the period (by their business date) net of
 * cancellations (an order cancelled in the period counts −1 there, by its cancel's business date),
 * so a past period does not change when an order of it is cancelled later. quantity, points, cash
 * and cost (unit cost × quantity, as at the order) net the same way. Keys: every item of the
 * merchant, then any other item id found among the orders. Tier filter: the tier the member held
 * when the order was placed.
 */
export async function mall(db: Db, params: MetricParams) {
  const ctx = await metricContext(db, params);
  return seriesAndTotal("mall", ctx, (periods) => compute(ctx, periods));
}

async function compute(ctx: MetricContext, periods: Period[]): Promise<Mall[]> {
  const byPeriod = await rowsByPeriod<{ i: number; item_id: string; orders: number; quantity: number; points: number; cash: number; cost: number }>(
    ctx,
    sql`select p.i, f.item_id, sum(f.sign)::int as orders, sum(f.sign * f.quantity)::bigint as quantity, sum(f.sign * f.points)::bigint as points,
               sum(f.sign * f.cash)::bigint as cash, sum(f.sign * f.unit_cost * f.quantity)::bigint as cost
        from ${periodTable(periods)}
        join (
          select o.item_id, o.business_date as d, 1 as sign, o.quantity, o.points, o.cash, o.unit_cost, o.member_id, o.placed_at
          from mall_orders o where o.merchant_id = ${ctx.merchantId}
          union all
          select o.item_id, o.cancelled_date as d, -1 as sign, o.quantity, o.points, o.cash, o.unit_cost, o.member_id, o.placed_at
          from mall_orders o where o.merchant_id = ${ctx.merchantId} and o.cancelled_date is not null
        ) f on f.d between p.p_start and p.p_end ${heldTierAt(ctx, sql`f.member_id`, sql`f.placed_at`)}
        group by p.i, f.item_id`,
  );
  const items = await rowsByPeriod<{ i: number; item_id: string }>(
    ctx,
    sql`select 0 as i, item_id from mall_items where merchant_id = ${ctx.merchantId} order by sort_order, item_id`,
  );
  const ids = new Set((items.get(0) ?? []).map((r) => r.item_id));
  for (const rows of byPeriod.values()) for (const r of rows) ids.add(r.item_id);
  return periods.map((_, i) => {
    const out: Mall = {};
    for (const id of ids) out[id] = { orders: 0, quantity: 0, points: 0, cash: 0, cost: 0 };
    for (const r of byPeriod.get(i) ?? []) out[r.item_id] = { orders: num(r.orders), quantity: num(r.quantity), points: num(r.points), cash: num(r.cash), cost: num(r.cost) };
    return out;
  });
}
