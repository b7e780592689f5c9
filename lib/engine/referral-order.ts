import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import type { LoadedProgram } from "@/lib/program/store";
import { coded } from "@/lib/reasons/row";
import { startOfBusinessDate } from "@/lib/util/dates";
import { Batch } from "./batch";
import { loadMembers, lockKeys } from "./load";
import { inRange, type MemberRange } from "./period-chunks";
import { writeBatch } from "./write";

/** Ledger sources of a referral's first-order reward, one per side (once-only by the ledger's source key). */
export const referralOrderSource = (refereeId: string, side: "referrer" | "referee") => `referral-order:${refereeId}:${side}`;

/**
 * 邀请成功下单双方奖励 (the program's `points.referralOrder`), a step of the period job's day: members
 * of the chunk registered with a referrer whose first paid order was on this business day earn the
 * referee's points, and their referrer the referrer's points unless the referrer already had
 * `monthlyCapPerReferrer` such rewards in the business month (counted from the referrer's ledger,
 * earlier chunks and days included). Referees in member id order, so the cap is deterministic.
 */
export async function referralOrderRewards(tx: Db, merchantId: string, p: LoadedProgram, date: string, dayStart: Date, dayEnd: Date, range: MemberRange) {
  const rule = p.points.referralOrder;
  if (!rule || (rule.referrer <= 0 && rule.referee <= 0)) return;
  const rows = await queryRows<{ member_id: string; referrer_id: string }>(
    tx,
    sql`select m.member_id, m.referrer_id from members m
        where m.merchant_id = ${merchantId} and ${inRange(sql`m.member_id`, range)} and m.referrer_id is not null and m.referrer_id <> m.member_id
          and exists (select 1 from orders o where o.merchant_id = m.merchant_id and o.member_id = m.member_id
                        and o.paid_at >= ${dayStart.toISOString()}::timestamptz and o.paid_at < ${dayEnd.toISOString()}::timestamptz)
          and not exists (select 1 from orders o where o.merchant_id = m.merchant_id and o.member_id = m.member_id and o.paid_at < ${dayStart.toISOString()}::timestamptz)
        order by m.member_id`,
  );
  if (!rows.length) return;
  const referrers = [...new Set(rows.map((r) => r.referrer_id))];
  const monthStart = startOfBusinessDate(`${date.slice(0, 7)}-01`, p.timeZone);
  const given = await queryRows<{ member_id: string; source: string; this_month: boolean }>(
    tx,
    sql`select member_id, source, occurred_at >= ${monthStart.toISOString()}::timestamptz as this_month from points_ledger
        where merchant_id = ${merchantId} and rule = 'referral_order'
          and member_id in (select jsonb_array_elements_text(${JSON.stringify([...referrers, ...rows.map((r) => r.member_id)])}::jsonb))`,
  );
  const done = new Set(given.map((g) => g.source));
  const monthCount = new Map<string, number>();
  for (const g of given) if (g.this_month && g.source.endsWith(":referrer")) monthCount.set(g.member_id, (monthCount.get(g.member_id) ?? 0) + 1);
  const ids = [...new Set([...referrers, ...rows.map((r) => r.member_id)])];
  await lockKeys(tx, merchantId, ids.map((x) => `m:${x}`));
  const b = new Batch(merchantId);
  await loadMembers(tx, b, ids);
  const at = new Date(dayEnd.getTime() - 1);
  for (const r of rows) {
    const referee = b.members.get(r.member_id);
    const referrer = b.members.get(r.referrer_id);
    if (!referee) continue;
    const refereeSource = referralOrderSource(r.member_id, "referee");
    if (rule.referee > 0 && !done.has(refereeSource))
      b.earnPoints(referee, p, rule.referee, { kind: "bonus", source: refereeSource, rule: "referral_order", ...coded("referral_order_referee", { referrer: r.referrer_id }), at, date });
    const referrerSource = referralOrderSource(r.member_id, "referrer");
    const count = monthCount.get(r.referrer_id) ?? 0;
    if (!referrer || rule.referrer <= 0 || done.has(referrerSource)) continue;
    if (rule.monthlyCapPerReferrer !== null && count >= rule.monthlyCapPerReferrer) continue;
    b.earnPoints(referrer, p, rule.referrer, { kind: "bonus", source: referrerSource, rule: "referral_order", ...coded("referral_order_referrer", { referee: r.member_id }), at, date });
    monthCount.set(r.referrer_id, count + 1);
  }
  await writeBatch(tx, b, []);
}
