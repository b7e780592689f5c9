import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { metricContext, num, periodTable, ratio, seriesAndTotal, type MetricContext, type MetricParams } from "./common";
import { netSpendHeld } from "./held-tier";
import type { Period } from "./periods";

export interface RevenueShare {
  memberSpend: number;
  guestSpend: number;
  share: number | null;
}

/**
 * revenue-share: memberSpend = net spend of members' orders, guestSpend = net spend of guest orders
 * (no member; refunds of them on their refund day), share = member / (member + guest). With a tier
 * filter only memberSpend is filtered — orders placed in that tier (tier_at_order; a refund under its
 * order's tier); guests have no tier — so share = that tier's spend / (that tier's spend + guest spend).
 */
export async function revenueShare(db: Db, params: MetricParams) {
  const ctx = await metricContext(db, params);
  return seriesAndTotal("revenue-share", ctx, (periods) => compute(ctx, periods));
}

async function compute(ctx: MetricContext, periods: Period[]): Promise<RevenueShare[]> {
  const rows = await queryRows<{ member_spend: number; guest_spend: number }>(
    ctx.db,
    sql`select p.i, ${netSpendHeld(ctx, "members")} as member_spend, ${netSpendHeld(ctx, "guests")} as guest_spend
        from ${periodTable(periods)} order by p.i`,
  );
  return rows.map((r) => {
    const memberSpend = num(r.member_spend);
    const guestSpend = num(r.guest_spend);
    return { memberSpend, guestSpend, share: ratio(memberSpend, memberSpend + guestSpend) };
  });
}
