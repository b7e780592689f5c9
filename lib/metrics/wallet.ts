import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { metricContext, num, periodTable, seriesAndTotal, type MetricContext, type MetricParams } from "./common";
import { heldTierAt, inEnds, withEnds } from "./held-tier";
import type { Period } from "./periods";

export interface Wallet {
  toppedUp: number;
  bonusIssued: number;
  spent: number;
  refunded: number;
  balance: number;
}

/**
 * wallet (储值), from wallet_ledger by business_date:
 * - toppedUp = principal of top-ups in the period; bonusIssued = their bonus;
 * - spent = principal + bonus spent at confirmed checkouts, net of what order refunds gave back;
 * - refunded = principal of top-ups refunded (as a positive number);
 * - balance = unspent principal + bonus at the end of the period's last day (the prepaid liability).
 * With a tier filter, flows count rows of members holding the tier at the row's instant, the balance
 * the members in the tier at the end of the period (held-tier.ts).
 */
export async function wallet(db: Db, params: MetricParams) {
  const ctx = await metricContext(db, params);
  return seriesAndTotal("wallet", ctx, (periods) => compute(ctx, periods));
}

async function compute(ctx: MetricContext, periods: Period[]): Promise<Wallet[]> {
  const rows = await queryRows<{ topped_up: number; bonus_issued: number; spent: number; refunded: number; balance: number }>(
    ctx.db,
    sql`${withEnds(ctx, periodTable(periods))}
        select p.i, f.topped_up, f.bonus_issued, f.spent, f.refunded,
          coalesce((select sum(wl.principal + wl.bonus) from wallet_ledger wl
                    where wl.merchant_id = ${ctx.merchantId} and wl.business_date <= p.p_end
                      ${inEnds(ctx, sql`p.i`, sql`wl.member_id`)}), 0)::bigint as balance
        from ${periodTable(periods)}
        cross join lateral (
          select coalesce(sum(wl.principal) filter (where wl.type = 'top_up'), 0)::bigint as topped_up,
                 coalesce(sum(wl.bonus) filter (where wl.type = 'top_up'), 0)::bigint as bonus_issued,
                 coalesce(-sum(wl.principal + wl.bonus) filter (where wl.type in ('spend', 'refund')), 0)::bigint as spent,
                 coalesce(-sum(wl.principal) filter (where wl.type = 'top_up_refund'), 0)::bigint as refunded
          from wallet_ledger wl
          where wl.merchant_id = ${ctx.merchantId} and wl.business_date between p.p_start and p.p_end
            ${heldTierAt(ctx, sql`wl.member_id`, sql`wl.at`)}
        ) f
        order by p.i`,
  );
  return rows.map((r) => ({ toppedUp: num(r.topped_up), bonusIssued: num(r.bonus_issued), spent: num(r.spent), refunded: num(r.refunded), balance: num(r.balance) }));
}
