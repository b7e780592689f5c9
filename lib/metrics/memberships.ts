import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { addDays, startOfBusinessDate } from "@/lib/util/dates";
import { metricContext, num, periodTable, ratio, seriesAndTotal, type MetricContext, type MetricParams } from "./common";
import { heldTierAt } from "./held-tier";
import type { Period } from "./periods";

export interface Memberships {
  active: number;
  started: number;
  renewed: number;
  ended: number;
  renewalRate: number | null;
  revenue: number;
}

/** Days after a card's end within which a new purchase still counts as its renewal (metrics.md). */
export const RENEWAL_DAYS = 30;

/**
 * memberships (付费会员, metrics.md), from the memberships table as it is now (a refund takes its
 * purchase out of every period):
 * - active = members holding a card at the last instant of the period;
 * - started = purchases (not refunded) made in the period, by business date; renewed = those by a
 *   member whose previous card was still running at the purchase or ended at most 30 days before;
 * - ended = cards that ended in the period (a purchase not refunded whose end no other purchase
 *   continues); renewalRate = the ended cards whose member bought again within 30 days of the end
 *   (by the time of the query) / ended — null when none ended;
 * - revenue = cash paid for cards in the period (by business date), minus cash refunded in it (by
 *   the refund's business date).
 * Tier filter: the tier the member held at the purchase, the refund, the card's end, or the period's end.
 */
export async function memberships(db: Db, params: MetricParams) {
  const ctx = await metricContext(db, params);
  return seriesAndTotal("memberships", ctx, (periods) => compute(ctx, periods));
}

async function compute(ctx: MetricContext, periods: Period[]): Promise<Memberships[]> {
  const m = ctx.merchantId;
  const table = periodTable(periods, [
    { name: "t_start", values: (p) => sql`${startOfBusinessDate(p.start, ctx.timeZone).toISOString()}::timestamptz` },
    { name: "t_end", values: (p) => sql`${startOfBusinessDate(addDays(p.end, 1), ctx.timeZone).toISOString()}::timestamptz` },
  ]);
  const live = (s: string) => sql`${sql.raw(s)}.merchant_id = ${m} and ${sql.raw(s)}.refunded_at is null`;
  const renewalWindow = sql.raw(`interval '${RENEWAL_DAYS} days'`);
  const rows = await queryRows<{ i: number; active: number; started: number; renewed: number; ended: number; ended_renewed: number; paid: number; refunded: number }>(
    ctx.db,
    sql`select p.i,
        (select count(distinct s.member_id) from memberships s where ${live("s")} and s.starts_at < p.t_end and s.ends_at >= p.t_end
          ${heldTierAt(ctx, sql`s.member_id`, sql`p.t_end - interval '1 millisecond'`)}) as active,
        (select count(*) from memberships s where ${live("s")} and s.business_date between p.p_start and p.p_end
          ${heldTierAt(ctx, sql`s.member_id`, sql`s.purchased_at`)}) as started,
        (select count(*) from memberships s where ${live("s")} and s.business_date between p.p_start and p.p_end
          and exists (select 1 from memberships o where ${live("o")} and o.member_id = s.member_id and o.purchase_id <> s.purchase_id
            and o.purchased_at < s.purchased_at and o.ends_at >= s.purchased_at - ${renewalWindow})
          ${heldTierAt(ctx, sql`s.member_id`, sql`s.purchased_at`)}) as renewed,
        (select count(*) from memberships s where ${live("s")} and s.ends_at >= p.t_start and s.ends_at < p.t_end
          and not exists (select 1 from memberships n where ${live("n")} and n.member_id = s.member_id and n.starts_at = s.ends_at)
          ${heldTierAt(ctx, sql`s.member_id`, sql`s.ends_at - interval '1 millisecond'`)}) as ended,
        (select count(*) from memberships s where ${live("s")} and s.ends_at >= p.t_start and s.ends_at < p.t_end
          and not exists (select 1 from memberships n where ${live("n")} and n.member_id = s.member_id and n.starts_at = s.ends_at)
          and exists (select 1 from memberships r where ${live("r")} and r.member_id = s.member_id and r.purchased_at >= s.ends_at and r.purchased_at <= s.ends_at + ${renewalWindow})
          ${heldTierAt(ctx, sql`s.member_id`, sql`s.ends_at - interval '1 millisecond'`)}) as ended_renewed,
        (select coalesce(sum(s.amount), 0) from memberships s where s.merchant_id = ${m} and s.business_date between p.p_start and p.p_end
          ${heldTierAt(ctx, sql`s.member_id`, sql`s.purchased_at`)}) as paid,
        (select coalesce(sum(s.refunded_amount), 0) from memberships s where s.merchant_id = ${m} and s.refunded_date between p.p_start and p.p_end
          ${heldTierAt(ctx, sql`s.member_id`, sql`s.refunded_at`)}) as refunded
      from ${table}
      order by p.i`,
  );
  return rows.map((r) => {
    const ended = num(r.ended);
    return {
      active: num(r.active),
      started: num(r.started),
      renewed: num(r.renewed),
      ended,
      renewalRate: ratio(num(r.ended_renewed), ended),
      revenue: num(r.paid) - num(r.refunded),
    };
  });
}
