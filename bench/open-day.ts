// The benchmark's "open day": a realistic business day after the loaded history that the period job
// has not closed (no aggregate covers it), written straight into the engine's tables with the shape
// bench/metrics.ts loads (and removable again, so other runs reuse the database unchanged).
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { dropOpenDay } from "@/lib/metrics/open-day";

const TZ = "Asia/Shanghai";

/** How the open day is made (counts of rows). */
export const OPEN_DAY_SHAPE = {
  /** Members with an order that day (distinct existing members). */
  buyers: 27_000,
  /** Of them, those with a second order that day. */
  twice: 400,
  guestOrders: 3_000,
  registrations: 1_500,
  /** Of the new members, those who order that day. */
  newBuyers: 300,
  refunds: 120,
  upgrades: 60,
  redemptions: 250,
};

/**
 * Writes the open day `day` (the day after the history's END): member orders (tier_at_order = the
 * member's tier at the instant, as the loader's), guest orders, points earned on member orders,
 * refunds of recent orders, registrations with their first tier row, upgrades, redemptions of
 * instances issued earlier. Every row is recognisable (ids prefixed `x`, dated `day`), see removeOpenDay.
 */
export async function insertOpenDay(db: Db, merchantId: string, day: string, members: number, historyStart: string) {
  const s = OPEN_DAY_SHAPE;
  const dayStart = sql`(${day}::date::timestamp at time zone ${TZ})`;
  // Member j's tier at instant t as bench/metrics.ts's memberSql (registration, upgrade, fallback as functions of j).
  const days = Math.round((Date.parse(day) - Date.parse(historyStart)) / 86_400_000);
  const reg = (j: string) =>
    sql`(${historyStart}::date::timestamp at time zone ${TZ} + (sqrt(((${sql.raw(j)}) * 0.6180339887498949) - floor((${sql.raw(j)}) * 0.6180339887498949)) * ${days} * 86400) * interval '1 second')`;
  const tier = (j: string) =>
    sql`(case when (${sql.raw(j)}) % 100 < 80 then 'basic' when (${sql.raw(j)}) % 100 < 93 then 'silver' when (${sql.raw(j)}) % 100 < 99 then 'gold' else 'diamond' end)`;
  const upAt = (j: string) => sql`(${reg(j)} + (((${sql.raw(j)})::bigint * 7919) % 10368000) * interval '1 second')`;
  const downAt = (j: string) => sql`(case when (${sql.raw(j)}) % 37 = 0 and ${tier(j)} <> 'basic' then ${upAt(j)} + interval '60 days' end)`;
  const tierAt = (j: string, t: string) =>
    sql`(case when ${tier(j)} <> 'basic' and ${sql.raw(t)} > ${upAt(j)} and (${downAt(j)} is null or ${sql.raw(t)} <= ${downAt(j)}) then ${tier(j)} else 'basic' end)`;

  // Member orders: k-th buyer is member 1 + (k × 104729 mod N) (distinct for k ≤ N), at a spread-out instant.
  await db.execute(sql`
    insert into orders (merchant_id, order_id, member_id, event_id, paid_at, business_date, amount, member_discount, tier_at_order)
    select ${merchantId}, 'xo' || k || '-' || n, 'm' || j, 'xe' || k || '-' || n, paid_at, ${day}::date, amount, amount * 3 / 100, ${tierAt("j", "paid_at")}
    from (
      select k, n, j, ${dayStart} + (((k * 7777 + n * 43200) % 86400) + n) * interval '1 second' as paid_at, (1000 + (k * 31 + n * 17) % 49000)::bigint as amount
      from (select k, 1 + (k::bigint * 104729) % ${members} as j from generate_series(1, ${s.buyers}) k) b
      cross join lateral generate_series(1, case when k <= ${s.twice} then 2 else 1 end) n
    ) o`);
  await db.execute(sql`
    insert into orders (merchant_id, order_id, member_id, event_id, paid_at, business_date, amount, member_discount, tier_at_order)
    select ${merchantId}, 'xg' || k, null, 'xge' || k, ${dayStart} + ((k * 28.8)::int % 86400) * interval '1 second', ${day}::date, (1000 + (k * 53) % 49000)::bigint, 0, null
    from generate_series(1, ${s.guestOrders}) k`);
  // Registrations (with the first tier row, as the engine writes it), some of them buying the same day.
  await db.execute(sql`
    insert into members (merchant_id, member_id, registered_at, tier_code, tier_since, lifecycle)
    select ${merchantId}, 'x' || k, ${dayStart} + (k * 50) * interval '1 second', 'basic', now(), 'new' from generate_series(1, ${s.registrations}) k`);
  await db.execute(sql`
    insert into tier_history (merchant_id, member_id, from_tier, to_tier, direction, reason, source, changed_at, business_date)
    select ${merchantId}, 'x' || k, null, 'basic', 'initial', 'registered', 'x-init-' || k, ${dayStart} + (k * 50) * interval '1 second', ${day}::date
    from generate_series(1, ${s.registrations}) k`);
  await db.execute(sql`
    insert into orders (merchant_id, order_id, member_id, event_id, paid_at, business_date, amount, member_discount, tier_at_order)
    select ${merchantId}, 'xn' || k, 'x' || k, 'xne' || k, ${dayStart} + (k * 50 + 600) * interval '1 second', ${day}::date, (2000 + k * 13)::bigint, (2000 + k * 13) * 3 / 100, 'basic'
    from generate_series(1, ${s.newBuyers}) k`);
  await db.execute(sql`
    insert into points_ledger (merchant_id, member_id, delta, kind, source, reason, occurred_at, business_date)
    select merchant_id, member_id, amount / 100, 'earn', 'earn-' || order_id, 'order', paid_at, business_date
    from orders where merchant_id = ${merchantId} and business_date = ${day}::date and member_id is not null`);
  // Refunds (half the amount) of member orders of three days before, at noon.
  await db.execute(sql`
    insert into refunds (merchant_id, event_id, order_id, member_id, refunded_at, business_date, amount)
    select merchant_id, 'xr' || order_id, order_id, member_id, ${dayStart} + interval '12 hours', ${day}::date, amount / 2
    from (select * from orders where merchant_id = ${merchantId} and business_date = ${day}::date - 3 and member_id is not null
            and right(order_id, 2) <> '50' order by order_id limit ${s.refunds}) o`);
  // Upgrades basic → silver at 23:00 of members still basic (after their orders of the day).
  await db.execute(sql`
    insert into tier_history (merchant_id, member_id, from_tier, to_tier, direction, reason, source, changed_at, business_date)
    select ${merchantId}, 'm' || j, 'basic', 'silver', 'up', 'growth', 'x-up-' || j, ${dayStart} + interval '23 hours' + j * interval '1 millisecond', ${day}::date
    from (select 1 + (k::bigint * 7001) % ${members} as j from generate_series(1, ${s.upgrades * 3}) k) c
    where ${tier("j")} = 'basic' limit ${s.upgrades}`);
  // Redemptions of instances issued before, not redeemed yet.
  await db.execute(sql`
    update right_instances ri set redeemed_at = ${dayStart} + interval '10 hours', redeemed_date = ${day}::date
    from (select grant_id from right_instances where merchant_id = ${merchantId} and redeemed_at is null and issued_date between ${day}::date - 30 and ${day}::date - 1
          order by grant_id limit ${s.redemptions}) x
    where ri.merchant_id = ${merchantId} and ri.grant_id = x.grant_id`);
  await db.execute(sql`analyze orders, refunds, points_ledger, tier_history, members, right_instances`);
}

/** Removes everything dated after `end` (the open day's rows, and any aggregate of it), leaving the loaded history as it was. */
export async function removeOpenDay(db: Db, merchantId: string, end: string) {
  // Redemption counts an extension past `end` added to earlier issue days: taken back with the redemptions.
  await db.execute(sql`
    update metric_rights_daily m set redeemed = m.redeemed - x.n
    from (
      select b.tier, ri.issued_date, ri.right_code, count(*)::int as n
      from right_instances ri cross join lateral (values ('*'::text), (ri.tier_code)) b(tier)
      where ri.merchant_id = ${merchantId} and b.tier is not null and ri.redeemed_date > ${end}::date and ri.issued_date <= ${end}::date
      group by 1, 2, 3
    ) x
    where m.merchant_id = ${merchantId} and m.tier = x.tier and m.issued_date = x.issued_date and m.right_code = x.right_code
      and (select s.rights_through_date from metric_distinct_state s where s.merchant_id = ${merchantId}) > ${end}::date`);
  for (const t of ["orders", "refunds", "points_ledger", "tier_history"])
    await db.execute(sql`delete from ${sql.identifier(t)} where merchant_id = ${merchantId} and business_date > ${end}::date`);
  await db.execute(sql`delete from members where merchant_id = ${merchantId} and registered_at >= (${end}::date + 1)::timestamp at time zone ${TZ}`);
  await db.execute(sql`update right_instances set redeemed_at = null, redeemed_date = null where merchant_id = ${merchantId} and redeemed_date > ${end}::date`);
  await db.execute(sql`delete from metric_daily where merchant_id = ${merchantId} and business_date > ${end}::date`);
  await db.execute(sql`delete from metric_event_pairs where merchant_id = ${merchantId} and x > ${end}::date`);
  await db.execute(sql`delete from metric_tier_daily where merchant_id = ${merchantId} and business_date > ${end}::date`);
  await db.execute(sql`delete from metric_retention_daily where merchant_id = ${merchantId} and f > ${end}::date`);
  await db.execute(sql`delete from metric_rights_daily where merchant_id = ${merchantId} and issued_date > ${end}::date`);
  await dropOpenDay(db, merchantId);
  // The RFM base of a day after `end` (the period job's extension wrote it) goes with it.
  for (const t of ["metric_rfm_base_rf", "metric_rfm_base_m", "metric_rfm_base_state"])
    await db.execute(sql`delete from ${sql.identifier(t)} where merchant_id = ${merchantId}
                         and (select s.through_date from metric_rfm_base_state s where s.merchant_id = ${merchantId}) > ${end}::date`);
  await db.execute(sql`update metric_rollup_state set through_date = ${end}::date where merchant_id = ${merchantId} and through_date > ${end}::date`);
  await db.execute(sql`update metric_distinct_state set through_date = least(through_date, ${end}::date), rights_through_date = least(rights_through_date, ${end}::date)
                       where merchant_id = ${merchantId}`);
}

/**
 * Events arriving after the open day's last refresh: `n` more member orders of that day (members
 * who had none), each with its points row, written as one engine batch each would be — including the
 * batch's row in metric_open_log with its keys, as the engine's invalidateRollupsSql adds it.
 */
export async function arriveOrders(db: Db, merchantId: string, day: string, members: number, n: number) {
  const dayStart = sql`(${day}::date::timestamp at time zone ${TZ})`;
  const first = OPEN_DAY_SHAPE.buyers + 1;
  await db.execute(sql`
    with o as (
      insert into orders (merchant_id, order_id, member_id, event_id, paid_at, business_date, amount, member_discount, tier_at_order)
      select ${merchantId}, 'xa' || k, 'm' || (1 + (k::bigint * 104729) % ${members}), 'xae' || k, ${dayStart} + interval '20 hours' + k * interval '1 second',
             ${day}::date, 5000 + k, (5000 + k) * 3 / 100, 'basic'
      from generate_series(${first}::int, ${first + n - 1}::int) k
      returning merchant_id, order_id, member_id, paid_at, business_date, amount
    ), p as (
      insert into points_ledger (merchant_id, member_id, delta, kind, source, reason, occurred_at, business_date)
      select merchant_id, member_id, amount / 100, 'earn', 'earn-' || order_id, 'order', paid_at, business_date from o
    )
    insert into metric_open_log (merchant_id, keys)
    select merchant_id, jsonb_build_array('m:' || member_id, 'o:' || order_id) from o order by order_id`);
}
