import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { metricContext, num, periodTable, ratio, seriesAndTotal, type MetricContext, type MetricParams } from "./common";
import type { Period } from "./periods";
import { tierIs } from "./tier-at-time";
import { netSpendHeld } from "./held-tier";

export interface Arpu {
  memberSpend: number;
  activeMembers: number;
  arpu: number | null;
}

/**
 * arpu: memberSpend = members' net spend in the period (payments minus refunds, each on its own
 * day); activeMembers = members with ≥ 1 paid order in the period; arpu = memberSpend / activeMembers.
 * Tier filter: orders placed in that tier (orders.tier_at_order) and the refunds of those orders.
 */
export async function arpu(db: Db, params: MetricParams) {
  const ctx = await metricContext(db, params);
  return seriesAndTotal("arpu", ctx, (periods) => compute(ctx, periods));
}

async function compute(ctx: MetricContext, periods: Period[]): Promise<Arpu[]> {
  const rows = await queryRows<{ member_spend: number; active_members: number }>(
    ctx.db,
    sql`select p.i, ${netSpendHeld(ctx, "members")} as member_spend,
          (select count(distinct o.member_id) from orders o
            where o.merchant_id = ${ctx.merchantId} and o.member_id is not null
              and o.business_date between p.p_start and p.p_end ${tierIs(ctx, sql`o.tier_at_order`)})::int as active_members
        from ${periodTable(periods)} order by p.i`,
  );
  return rows.map((r) => {
    const memberSpend = num(r.member_spend);
    const activeMembers = num(r.active_members);
    return { memberSpend, activeMembers, arpu: ratio(memberSpend, activeMembers) };
  });
}
