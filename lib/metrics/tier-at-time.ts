import { sql, type SQL } from "drizzle-orm";
import type { MetricContext } from "./common";

/*
 * The tier filter of repurchase, arpu, tier-changes, rights-usage and retention: the tier the member
 * held at the time, not the tier now (common.ts's inTier). Orders: orders.tier_at_order (a refund
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
 * Members' net spend in the period of the row `p` (payments on their day minus refunds on theirs),
 * with the filter: orders placed in the filter tier, and the refunds of those orders.
 */
export function memberNetSpendAtTime(ctx: MetricContext): SQL {
  const refundTier =
    ctx.tier === null
      ? sql``
      : sql`and exists (select 1 from orders ro where ro.merchant_id = r.merchant_id and ro.order_id = r.order_id and ro.tier_at_order = ${ctx.tier})`;
  return sql`(
    coalesce((select sum(o.amount) from orders o
              where o.merchant_id = ${ctx.merchantId} and o.member_id is not null ${tierIs(ctx, sql`o.tier_at_order`)}
                and o.business_date between p.p_start and p.p_end), 0)
  - coalesce((select sum(r.amount) from refunds r
              where r.merchant_id = ${ctx.merchantId} and r.member_id is not null ${refundTier}
                and r.business_date between p.p_start and p.p_end), 0)
  )::bigint`;
}
