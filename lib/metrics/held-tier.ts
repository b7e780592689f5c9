import { sql, type SQL } from "drizzle-orm";
import type { MetricContext } from "./common";

/*
 * The tier filter: "the tier the member held at the time" (docs/dashboards.md).
 * - A flow (payment, refund, redemption, points row) counts for tier X when the member held X at the
 *   flow's instant. Orders record it (orders.tier_at_order, the tier before the order's own upgrade);
 *   a refund counts under its order's tier_at_order; anything else (points ledger rows, redeemed right
 *   instances) under the tier held just before its instant, from tier_history: the latest change
 *   strictly before the instant (changes at the same instant take effect after it, as for an order
 *   that upgrades its member), or the member's first tier when the instant is not after their first
 *   change (a welcome bonus at the instant of joining).
 * - A state at the end of a period (tier distribution, lifecycle, points outstanding, RFM) counts the
 *   members whose tier at the end of the period's last business date E was X: their latest
 *   tier_history row with business_date ≤ E (as tier-distribution reads it).
 * (Before 2026-11-23 the filter meant the tier a member holds now, which no aggregate could keep.)
 */

/** The tier `member` held just before `instant` (see above), as an SQL expression. */
export function tierHeldAt(ctx: MetricContext, member: SQL, instant: SQL): SQL {
  return sql`coalesce(
    (select th.to_tier from tier_history th where th.merchant_id = ${ctx.merchantId} and th.member_id = ${member} and th.changed_at < ${instant}
     order by th.changed_at desc, th.id desc limit 1),
    (select th.to_tier from tier_history th where th.merchant_id = ${ctx.merchantId} and th.member_id = ${member}
     order by th.changed_at, th.id limit 1))`;
}

/** `and the member held the filter tier at the instant`, or nothing without a filter. */
export function heldTierAt(ctx: MetricContext, member: SQL, instant: SQL): SQL {
  if (ctx.tier === null) return sql``;
  return sql`and ${tierHeldAt(ctx, member, instant)} = ${ctx.tier}`;
}

/**
 * The members whose tier at the end of business date `date` was the filter tier, as a subquery
 * yielding member_id (their latest tier_history row with business_date ≤ date, as tier-distribution).
 */
export function membersInTierAtEnd(ctx: MetricContext, date: SQL): SQL {
  return sql`(
    select e.member_id from (
      select distinct on (th.member_id) th.member_id, th.to_tier
      from tier_history th
      where th.merchant_id = ${ctx.merchantId} and th.business_date <= ${date}
      order by th.member_id, th.business_date desc, th.changed_at desc, th.id desc
    ) e where e.to_tier = ${ctx.tier})`;
}

/**
 * With a filter: the CTE `ends(i, member_id)` of the members in the filter tier at the end of each
 * period of `table` (a periodTable); `and <member> in (those of period <i>)` via inEnds.
 */
export function endsCte(ctx: MetricContext, table: SQL): SQL {
  if (ctx.tier === null) return sql``;
  return sql`ends as (select p.i, m.member_id from ${table} cross join lateral ${membersInTierAtEnd(ctx, sql`p.p_end`)} m),`;
}

/** `with ends as (…)` alone (see endsCte), or nothing without a filter. */
export function withEnds(ctx: MetricContext, table: SQL): SQL {
  if (ctx.tier === null) return sql``;
  return sql`with ends as (select p.i, m.member_id from ${table} cross join lateral ${membersInTierAtEnd(ctx, sql`p.p_end`)} m)`;
}

export function inEnds(ctx: MetricContext, i: SQL, member: SQL): SQL {
  if (ctx.tier === null) return sql``;
  return sql`and (${i}, ${member}) in (select ends.i, ends.member_id from ends)`;
}

/** `and the order o was placed in the filter tier`, or nothing. */
export function orderInTier(ctx: MetricContext, order: SQL = sql`o`): SQL {
  if (ctx.tier === null) return sql``;
  return sql`and ${order}.tier_at_order = ${ctx.tier}`;
}

/** `and the refund r is of an order placed in the filter tier`, or nothing. */
export function refundInTier(ctx: MetricContext, refund: SQL = sql`r`): SQL {
  if (ctx.tier === null) return sql``;
  return sql`and (select ro.tier_at_order from orders ro where ro.merchant_id = ${refund}.merchant_id and ro.order_id = ${refund}.order_id) = ${ctx.tier}`;
}

/**
 * Net spend in the period of the row `p` (payments on their day minus refunds on theirs), members'
 * orders placed in the filter tier (a refund under its order's tier), or guests' orders.
 */
export function netSpendHeld(ctx: MetricContext, who: "members" | "guests"): SQL {
  const orderWho = who === "members" ? sql`o.member_id is not null ${orderInTier(ctx)}` : sql`o.member_id is null`;
  const refundWho = who === "members" ? sql`r.member_id is not null ${refundInTier(ctx)}` : sql`r.member_id is null`;
  return sql`(
    coalesce((select sum(o.amount) from orders o
              where o.merchant_id = ${ctx.merchantId} and ${orderWho} and o.business_date between p.p_start and p.p_end), 0)
  - coalesce((select sum(r.amount) from refunds r
              where r.merchant_id = ${ctx.merchantId} and ${refundWho} and r.business_date between p.p_start and p.p_end), 0)
  )::bigint`;
}

/**
 * Cost of rights in the period of the row `p`: unit cost of instances redeemed in it (by a member
 * holding the filter tier at the redemption) + member discounts on member orders paid in it (placed
 * in the filter tier).
 */
export function rightsCostHeld(ctx: MetricContext): SQL {
  return sql`(
    coalesce((select sum(ri.unit_cost) from right_instances ri
              where ri.merchant_id = ${ctx.merchantId} and ri.redeemed_date between p.p_start and p.p_end
                ${heldTierAt(ctx, sql`ri.member_id`, sql`ri.redeemed_at`)}), 0)
  + coalesce((select sum(o.member_discount) from orders o
              where o.merchant_id = ${ctx.merchantId} and o.member_id is not null
                and o.business_date between p.p_start and p.p_end ${orderInTier(ctx)}), 0)
  )::bigint`;
}

/**
 * What checkout and the points mall add to the rights cost of the period of the row `p`
 * (metrics.md, rights-cost), live from their own tables (the daily rollups do not hold them):
 * - a coupon redeemed at a confirmed checkout hold costs the discount it gave there, not its unit
 *   cost: (discount − unit cost) for each such instance redeemed in the period (still redeemed: a
 *   full refund that gave it back took it out of both);
 * - the value of points spent as cash at holds confirmed in the period;
 * - stored-value bonus spent in the period (net of bonus a refund gave back);
 * - unit cost × quantity of points-mall goods ordered in the period, net of goods orders cancelled in it.
 * Each flow counts by the tier its member held at its instant (with a filter).
 */
export function checkoutAndMallCostHeld(ctx: MetricContext): SQL {
  const dayStart = (d: SQL) => sql`(${d}::timestamp at time zone ${ctx.timeZone})`;
  return sql`(
    coalesce((select sum(hg.discount - ri.unit_cost) from holds h
              join hold_grants hg on hg.merchant_id = h.merchant_id and hg.hold_id = h.hold_id
              join right_instances ri on ri.merchant_id = hg.merchant_id and ri.grant_id = hg.grant_id
              where h.merchant_id = ${ctx.merchantId} and h.status = 'confirmed'
                and h.closed_at >= ${dayStart(sql`p.p_start`)} and h.closed_at < ${dayStart(sql`(p.p_end + 1)`)}
                and ri.redeemed_at = h.closed_at and ri.redeemed_date between p.p_start and p.p_end
                ${heldTierAt(ctx, sql`ri.member_id`, sql`ri.redeemed_at`)}), 0)
  + coalesce((select sum(h.points_value) from holds h
              where h.merchant_id = ${ctx.merchantId} and h.status = 'confirmed'
                and h.closed_at >= ${dayStart(sql`p.p_start`)} and h.closed_at < ${dayStart(sql`(p.p_end + 1)`)}
                ${heldTierAt(ctx, sql`h.member_id`, sql`h.closed_at`)}), 0)
  + coalesce((select -sum(wl.bonus) from wallet_ledger wl
              where wl.merchant_id = ${ctx.merchantId} and wl.type in ('spend', 'refund') and wl.business_date between p.p_start and p.p_end
                ${heldTierAt(ctx, sql`wl.member_id`, sql`wl.at`)}), 0)
  + coalesce((select sum(mo.unit_cost * mo.quantity) from mall_orders mo
              where mo.merchant_id = ${ctx.merchantId} and mo.kind = 'goods' and mo.business_date between p.p_start and p.p_end
                ${heldTierAt(ctx, sql`mo.member_id`, sql`mo.placed_at`)}), 0)
  - coalesce((select sum(mo.unit_cost * mo.quantity) from mall_orders mo
              where mo.merchant_id = ${ctx.merchantId} and mo.kind = 'goods' and mo.cancelled_date between p.p_start and p.p_end
                ${heldTierAt(ctx, sql`mo.member_id`, sql`mo.placed_at`)}), 0)
  )::bigint`;
}

/**
 * `cross join lateral (…) f`: points issued, redeemed and expired in each period `p` of a period
 * table (p.p_start, p.p_end), each ledger row by the tier held at the time.
 */
export function pointsFlowsHeld(ctx: MetricContext): SQL {
  return sql`cross join lateral (
    select coalesce(sum(pl.delta) filter (where pl.kind in ('earn', 'bonus', 'adjust') and pl.delta > 0), 0)::bigint as issued,
           coalesce(-sum(pl.delta) filter (where pl.kind = 'spend'), 0)::bigint as redeemed,
           coalesce(-sum(pl.delta) filter (where pl.kind = 'expire'), 0)::bigint as expired
    from points_ledger pl
    where pl.merchant_id = ${ctx.merchantId} and pl.business_date between p.p_start and p.p_end
      ${heldTierAt(ctx, sql`pl.member_id`, sql`pl.occurred_at`)}
  ) f`;
}
