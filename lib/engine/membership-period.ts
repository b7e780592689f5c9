import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import type { LoadedProgram } from "@/lib/program/store";
import { addDays, startOfBusinessDate } from "@/lib/util/dates";

/**
 * The period job's paid-membership work (付费会员卡): plan rights on the 1st of each month for the
 * cards running at its start, the cards that ended in a day, and the candidates of the automation
 * trigger "membership expiring in N days".
 */

/**
 * On the 1st: each plan's `monthly` rights, for each purchase whose time covers the start of the day
 * (so a card started today got this month's at its start, with the same source: never twice).
 * Sources `membership:<purchase>:<YYYY-MM>:<right>:<entry>.<n>` as lib/engine/membership.ts writes them.
 */
export async function issuePlanMonthlyRights(tx: Db, merchantId: string, p: LoadedProgram, date: string, dayStart: Date) {
  const entries = p.plans.flatMap((plan) =>
    plan.rights.flatMap((r, j) => {
      const right = p.rights.find((x) => x.code === r.right);
      return r.cadence === "monthly" && right ? [{ plan_code: plan.code, right_code: r.right, entry: j, quantity: r.quantity, unit_cost: right.unitCost, validity_days: right.validityDays }] : [];
    }),
  );
  if (!entries.length) return;
  const month = date.slice(0, 7);
  const start = dayStart.toISOString();
  await tx.execute(sql`
    insert into right_instances (merchant_id, grant_id, member_id, right_code, tier_code, value, unit_cost, source, issued_at, issued_date, expires_at)
    select ${merchantId}, gen_random_uuid()::text, s.member_id, c.right_code, null, null, c.unit_cost,
      'membership:' || s.purchase_id || ':' || ${month} || ':' || c.right_code || ':' || c.entry || '.' || g.i,
      ${start}::timestamptz, ${date}::date,
      case when c.validity_days is null then null else ${start}::timestamptz + make_interval(days => c.validity_days) end
    from memberships s
    join jsonb_to_recordset(${JSON.stringify(entries)}::jsonb) as c(plan_code text, right_code text, entry int, quantity int, unit_cost bigint, validity_days int)
      on c.plan_code = s.plan_code
    cross join lateral generate_series(0, c.quantity - 1) as g(i)
    where s.merchant_id = ${merchantId} and s.refunded_at is null and s.starts_at <= ${start}::timestamptz and s.ends_at > ${start}::timestamptz
    on conflict do nothing`);
}

/** A purchase not refunded whose end no other purchase of the member continues: the end of a card. */
const cardEnd = (s: string) =>
  sql.raw(`${s}.refunded_at is null and not exists (select 1 from memberships n where n.merchant_id = ${s}.merchant_id and n.member_id = ${s}.member_id
    and n.refunded_at is null and n.starts_at = ${s}.ends_at)`);

/** Members whose card ended during the day [dayStart, dayEnd) (not renewed by then). */
export async function cardsEnded(tx: Db, merchantId: string, dayStart: Date, dayEnd: Date) {
  return queryRows<{ member_id: string; plan_code: string; ends_at: string }>(
    tx,
    sql`select s.member_id, s.plan_code, s.ends_at from memberships s where s.merchant_id = ${merchantId}
      and s.ends_at > ${dayStart.toISOString()}::timestamptz and s.ends_at <= ${dayEnd.toISOString()}::timestamptz and ${cardEnd("s")}`,
  );
}

/**
 * The automation trigger "membership expiring in N days": members whose card ends on the business
 * day `days` after `date`, unless a renewal already extends it. Occasion `card-ends:<that day>`.
 */
export async function membershipExpiringRows(tx: Db, merchantId: string, p: LoadedProgram, date: string, days: number, registered: SQL, cooldown: SQL) {
  const target = addDays(date, days);
  const from = startOfBusinessDate(target, p.timeZone).toISOString();
  const until = startOfBusinessDate(addDays(target, 1), p.timeZone).toISOString();
  return queryRows<{ member_id: string; occasion: string }>(
    tx,
    sql`select distinct m.member_id, ${`card-ends:${target}`} as occasion
      from memberships s join members m on m.merchant_id = s.merchant_id and m.member_id = s.member_id
      where s.merchant_id = ${merchantId} and s.ends_at >= ${from}::timestamptz and s.ends_at < ${until}::timestamptz and ${cardEnd("s")}
        and ${registered} ${cooldown}`,
  );
}
