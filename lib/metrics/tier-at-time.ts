import { sql, type SQL } from "drizzle-orm";
import type { MetricContext } from "./common";

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

