import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { addDays, startOfBusinessDate } from "@/lib/util/dates";
import { isoSql, isSubscribed, subscribedSql } from "@/lib/webhooks/domain-events";

/** `points.expiring` is sent this many days before points expire (docs/webhooks.md). */
export const POINTS_EXPIRING_NOTICE_DAYS = 30;

/**
 * `points.expiring` for a period-job day: one per member whose lots will be expired by the run of
 * the business day `POINTS_EXPIRING_NOTICE_DAYS` days later (their expiry falls in that day's end),
 * with how many points that is. Every day is run once, in order, so each member hears once per
 * expiry day. Nothing runs unless an endpoint takes the type.
 */
export async function emitPointsExpiring(tx: Db, merchantId: string, timeZone: string, date: string, at: Date) {
  if (!(await isSubscribed(tx, merchantId, "points.expiring"))) return;
  const days = POINTS_EXPIRING_NOTICE_DAYS;
  const from = startOfBusinessDate(addDays(date, days), timeZone).toISOString();
  const until = startOfBusinessDate(addDays(date, days + 1), timeZone).toISOString();
  await tx.execute(sql`
    insert into domain_events (merchant_id, type, member_id, data, occurred_at)
    select ${merchantId}, 'points.expiring', l.member_id,
      jsonb_build_object('memberId', l.member_id, 'points', sum(l.remaining), 'expiresAt', ${isoSql(sql`min(l.expires_at)`)}, 'lastDay', ${addDays(date, days)}::text,
        'days', ${days}::int, 'balance', min(m.points_balance), 'businessDate', ${date}::text),
      ${at.toISOString()}::timestamptz
    from points_lots l join members m on m.merchant_id = l.merchant_id and m.member_id = l.member_id
    where l.merchant_id = ${merchantId} and l.remaining > 0 and l.expires_at > ${from}::timestamptz and l.expires_at <= ${until}::timestamptz
      and ${subscribedSql(merchantId, sql`'points.expiring'`)}
    group by l.member_id
    order by l.member_id`);
}
