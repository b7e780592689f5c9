import { and, eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { periodProgress } from "@/db/schema";
import { extendAggregates } from "@/lib/metrics/aggregates";
import { invalidateRollupsFrom } from "@/lib/metrics/rollup";
import { lockMerchant } from "./load";

/**
 * A period-job day runs in chunks of members, ordered by id: the chunk after `after` (null: from the
 * first member) up to and including `upTo` (null: to the last). Each chunk is one short transaction
 * under the merchant's exclusive lock, so that merchant's events wait for one chunk at most, never for
 * the whole day.
 */
export interface MemberRange {
  after: string | null;
  upTo: string | null;
}

/** How many members a chunk holds (`PERIOD_CHUNK_MEMBERS`; each chunk is one transaction under the merchant's lock). */
export const defaultChunkMembers = () => Math.max(1, Number(process.env.PERIOD_CHUNK_MEMBERS ?? 1000));

/** `column` within the range, as a condition. */
export function inRange(column: SQL, r: MemberRange): SQL {
  const parts: SQL[] = [];
  if (r.after !== null) parts.push(sql`${column} > ${r.after}`);
  if (r.upTo !== null) parts.push(sql`${column} <= ${r.upTo}`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/** The last member id of the chunk after `after` (an index range of the members' primary key); null when the rest fits in one chunk. */
export async function chunkEnd(tx: Db, merchantId: string, after: string | null, size: number): Promise<string | null> {
  const rows = await queryRows<{ member_id: string }>(
    tx,
    sql`select member_id from members where merchant_id = ${merchantId} ${after === null ? sql`` : sql`and member_id > ${after}`}
        order by member_id offset ${size - 1} limit 2`,
  );
  // The size-th member ends the chunk when another follows it; otherwise this chunk takes the rest.
  return rows.length === 2 ? rows[0].member_id : null;
}

/** Where an unfinished day stopped (null: nothing committed yet). */
export async function dayProgress(tx: Db, merchantId: string, date: string): Promise<string | null> {
  const [row] = await tx.select({ d: periodProgress.doneThrough }).from(periodProgress).where(and(eq(periodProgress.merchantId, merchantId), eq(periodProgress.businessDate, date)));
  return row?.d ?? null;
}

export async function saveDayProgress(tx: Db, merchantId: string, date: string, doneThrough: string) {
  await tx
    .insert(periodProgress)
    .values({ merchantId, businessDate: date, doneThrough })
    .onConflictDoUpdate({ target: [periodProgress.merchantId, periodProgress.businessDate], set: { doneThrough, updatedAt: new Date() } });
}

export async function clearDayProgress(tx: Db, merchantId: string, date: string) {
  await tx.delete(periodProgress).where(and(eq(periodProgress.merchantId, merchantId), eq(periodProgress.businessDate, date)));
}

/**
 * RFM scores are quintiles over all the merchant's members (ntile(5) ordered by a measure, then by
 * member id): a chunk cannot rank its members alone. So the day first finds, in one read without the
 * merchant's lock, the member at the end of each of the first four quintiles for each measure;
 * a chunk then scores a member 1 + the number of those ends it sorts after, which is what ntile(5)
 * over the same rows gives.
 */
export interface RfmBounds {
  r: { v: string; id: string }[];
  f: { v: string; id: string }[];
  m: { v: string; id: string }[];
}

/** The trailing-12-month measures of members registered before `dayEnd` (`range`: only those members). */
const rfmMeasures = (merchantId: string, dayEnd: Date, range: MemberRange) => {
  const from = new Date(dayEnd.getTime() - 365 * 86_400_000).toISOString();
  return sql`select m.member_id, coalesce(max(o.paid_at), '-infinity'::timestamptz) as last, count(o.order_id) as f, coalesce(sum(o.amount - o.refunded_amount), 0) as mon
      from members m left join orders o on o.merchant_id = m.merchant_id and o.member_id = m.member_id
        and o.paid_at >= ${from}::timestamptz and o.paid_at < ${dayEnd.toISOString()}::timestamptz
      where m.merchant_id = ${merchantId} and m.registered_at < ${dayEnd.toISOString()}::timestamptz and ${inRange(sql`m.member_id`, range)}
      group by m.member_id`;
};

/** The quintile ends (null: no member to score). `last` of a member without an order is -infinity: first, as `nulls first` had it. */
export async function rfmBounds(db: Db, merchantId: string, dayEnd: Date): Promise<RfmBounds | null> {
  const rows = await queryRows<{ d: "r" | "f" | "m"; pos: string | number; n: string | number; v: string; member_id: string }>(
    db,
    sql`with s as (${rfmMeasures(merchantId, dayEnd, { after: null, upTo: null })}),
        o as (select member_id, last::text as last, f::text as f, mon::text as mon,
            row_number() over (order by last, member_id) as rr,
            row_number() over (order by f, member_id) as rf,
            row_number() over (order by mon, member_id) as rm,
            count(*) over () as n
          from s),
        e as (select n, array[n / 5 + least(1, n % 5), 2 * (n / 5) + least(2, n % 5), 3 * (n / 5) + least(3, n % 5), 4 * (n / 5) + least(4, n % 5)] as ends from o limit 1)
        select 'r' as d, rr as pos, o.n, last as v, member_id from o, e where rr = any(e.ends)
        union all select 'f', rf, o.n, f, member_id from o, e where rf = any(e.ends)
        union all select 'm', rm, o.n, mon, member_id from o, e where rm = any(e.ends)`,
  );
  if (!rows.length) return null;
  const n = Number(rows[0].n);
  const ends = [1, 2, 3, 4].map((i) => i * Math.floor(n / 5) + Math.min(i, n % 5));
  const pick = (d: "r" | "f" | "m") =>
    ends.map((e) => {
      const row = rows.find((x) => x.d === d && Number(x.pos) === e)!;
      return { v: row.v, id: row.member_id };
    });
  return { r: pick("r"), f: pick("f"), m: pick("m") };
}

/** Scores the chunk's members against the quintile ends; writes only scores that change. */
export async function applyRfm(tx: Db, merchantId: string, dayEnd: Date, bounds: RfmBounds, range: MemberRange) {
  const score = (col: SQL, cast: SQL, ends: { v: string; id: string }[]) =>
    sql`(1 + ${sql.join(
      ends.map((b) => sql`(case when (${col}, s.member_id) > (${b.v}::${cast}, ${b.id}::text) then 1 else 0 end)`),
      sql` + `,
    )})`;
  await tx.execute(sql`
    with s as (${rfmMeasures(merchantId, dayEnd, range)}),
    q as (select member_id, ${score(sql`s.last`, sql.raw("timestamptz"), bounds.r)} as r, ${score(sql`s.f`, sql.raw("bigint"), bounds.f)} as f,
        ${score(sql`s.mon`, sql.raw("numeric"), bounds.m)} as mm from s)
    update members m set rfm_r = q.r, rfm_f = q.f, rfm_m = q.mm
    from q where m.merchant_id = ${merchantId} and ${inRange(sql`m.member_id`, range)} and m.member_id = q.member_id
      and (m.rfm_r, m.rfm_f, m.rfm_m) is distinct from (q.r::smallint, q.f::smallint, q.mm::smallint)`);
}

/**
 * Adds a closed day to the KPI aggregates without holding the merchant (at a million members that
 * extension takes about a minute; under the merchant's lock every event of the merchant waited for it).
 * Events that land meanwhile are taken care of: one dated before the day would move the aggregates'
 * coverage back, and waits for the extension's row locks on the coverage rows to do so after it; one
 * dated on the day itself may be missed by the extension's reads, so the day's events are counted
 * (under the lock, so none is in flight) before and after, and a difference marks the day stale again.
 */
export async function extendAggregatesBeside(db: Db, merchantId: string, date: string, dayStart: Date, dayEnd: Date, hooks: { extending?: () => Promise<void> } = {}) {
  const dayEvents = async (tx: Db) => {
    await lockMerchant(tx, merchantId);
    const [r] = await queryRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from events where merchant_id = ${merchantId} and occurred_at >= ${dayStart.toISOString()}::timestamptz and occurred_at < ${dayEnd.toISOString()}::timestamptz`,
    );
    return r.n;
  };
  const [has] = await queryRows<{ x: number }>(
    db,
    sql`select 1 as x from metric_rollup_state where merchant_id = ${merchantId} union all select 1 from metric_distinct_state where merchant_id = ${merchantId} limit 1`,
  );
  if (!has) return; // no aggregates to extend (extendAggregates would do nothing)
  const before = await db.transaction(dayEvents);
  await hooks.extending?.();
  await db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from metric_rollup_state where merchant_id = ${merchantId} for update`);
    await tx.execute(sql`select 1 from metric_distinct_state where merchant_id = ${merchantId} for update`);
    await extendAggregates(tx, merchantId, date);
  });
  await db.transaction(async (tx) => {
    if ((await dayEvents(tx)) !== before) await invalidateRollupsFrom(tx, merchantId, date);
  });
}
