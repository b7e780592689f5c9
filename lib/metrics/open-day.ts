import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { lockMerchant } from "@/lib/engine/load";
import { currentProgram, type LoadedProgram } from "@/lib/program/store";
import { num } from "./common";
import { lifecycleSegments, singleTimeZone } from "./rollup";
import { tierAtRegistration } from "./tier-at-time";
import { rfmWindowStart } from "./rfm";
import { RFM_WINDOW, writeRfmSummary } from "./rfm-open";

/*
 * The open day: what the aggregates do not cover yet — the rows dated after their last day T up to
 * an open date D (typically today, until the period job closes it) — kept current incrementally,
 * so a range ending today reads a few hundred rows instead of looking up each of today's events.
 *
 * Everything the fast paths need from those days is a sum of contributions (metric_open_contrib,
 * db/schema/metric-aggregates.ts) of change keys — the engine's lock keys: 'm:<member>' for the rows
 * of a member, 'o:<order>' for a guest order and its refunds. A key's contributions depend only on
 * its own rows (and history up to T): a member's flows of the open days by the tier held at the time,
 * the changes of the states at D's end (points outstanding, tier, lifecycle stage) from T's end, their
 * open orders with the dates of the previous two in each bucket (the distinct counts), their
 * retention activity. metric_open_sums holds the sum over the keys.
 *
 * Exactness while events keep arriving: every engine batch adds the keys it touched to
 * metric_open_log in its own transaction (`openDayLogSql`, part of invalidateRollupsSql), once an
 * open day exists. A refresh recomputes the logged keys' contributions, replaces them in the sums and
 * deletes the log rows it read (rows committed later stay for the next one; a key recomputed with
 * newer data than its log row is harmless: recomputing is idempotent). A reader, in one snapshot,
 * adds to the sums the logged keys' contributions recomputed now minus their stored ones: exact
 * whatever the engine committed since the refresh, at the cost of those keys only. When the log
 * grows past OPEN_LOG_REFRESH batches the reader refreshes first.
 *
 * Valid only for the aggregates' T it was built on (a period-job day, a backdated event or a rebuild
 * changes T: the fast paths then use their other routes), one time zone ever and the same lifecycle
 * day counts from T to D.
 */

const NONE = "0001-01-01";
/** Log rows (engine batches) past which a reader refreshes the open day before reading. */
export const OPEN_LOG_REFRESH = 50;
/** Logged keys past which a reader refreshes first (a quarter of RFM's window: its corrections stay exact up to half). */
export const OPEN_LOG_KEYS_REFRESH = RFM_WINDOW / 4;

/**
 * Runs a read in one repeatable-read, read-only transaction: every query of an answer sees the same
 * data (a refresh committing meanwhile — a period-job day, the open day's — cannot be half seen).
 */
export function snapshot<T>(db: Db, f: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction((tx) => f(tx), { isolationLevel: "repeatable read", accessMode: "read only" });
}

export interface OpenState {
  throughDate: string;
  openDate: string;
  signature: string;
  ready: boolean;
}

/** The time zone, tiers and program versions the contributions depend on (a program saved since makes them stale). */
async function signatureNow(db: Db, merchantId: string, program?: LoadedProgram): Promise<string> {
  const p = program ?? (await currentProgram(db, merchantId));
  const [row] = await queryRows<{ v: number | null; n: number }>(
    db,
    sql`select max(version)::int as v, count(*)::int as n from program_versions where merchant_id = ${merchantId}`,
  );
  return `${p.timeZone}|${p.tiers.map((t) => t.code).join(",")}|${num(row?.v)}/${num(row?.n)}`;
}

export async function openState(db: Db, merchantId: string): Promise<OpenState | null> {
  const [row] = await queryRows<{ through_date: string; open_date: string; signature: string; ready: boolean }>(
    db,
    sql`select through_date::text, open_date::text, signature, ready from metric_open_state where merchant_id = ${merchantId}`,
  );
  return row ? { throughDate: row.through_date, openDate: row.open_date, signature: row.signature, ready: row.ready } : null;
}

interface Bounds {
  M: string;
  T: string;
  D: string;
  tz: string;
  n: number;
  dd: number;
  l: number;
}

/** The contributions (key, kind, bucket, d, v, k, n) of the keys the query `keys` yields (one text column). */
function contributions(b: Bounds, keys: SQL): SQL {
  const { M, tz } = b;
  const T = sql`${b.T}::date`;
  const D = sql`${b.D}::date`;
  const none = sql`${NONE}::date`;
  const tMonth = sql`${`${b.T.slice(0, 7)}-01`}::date`;
  const tierAtEnd = (member: SQL, day: SQL) => sql`(select th.to_tier from tier_history th where th.merchant_id = ${M} and th.member_id = ${member}
      and th.business_date <= ${day} order by th.business_date desc, th.changed_at desc, th.id desc limit 1)`;
  // The tier held just before an instant (held-tier.ts tierHeldAt).
  const heldAt = (member: SQL, instant: SQL) => sql`coalesce(
      (select th.to_tier from tier_history th where th.merchant_id = ${M} and th.member_id = ${member} and th.changed_at < ${instant}
       order by th.changed_at desc, th.id desc limit 1),
      (select th.to_tier from tier_history th where th.merchant_id = ${M} and th.member_id = ${member} order by th.changed_at, th.id limit 1))`;
  const stage = (day: SQL, last: SQL) => sql`case when st.r is null or st.r > ${day} then null when st.r > ${day} - ${b.n}::int then 'new'
      when ${last} is null or ${last} <= ${day} - ${b.l}::int then 'lost' when ${last} <= ${day} - ${b.dd}::int then 'dormant' else 'active' end`;
  return sql`
    with keys as (select distinct k0.key from (${keys}) k0(key)),
    mi as (
      select x.key, x.member_id, (m.registered_at at time zone ${tz})::date as r, ${tierAtRegistration(M, sql`x.member_id`)} as t_reg,
             ${tierAtEnd(sql`x.member_id`, T)} as t_t, ${tierAtEnd(sql`x.member_id`, D)} as t_d
      from (select keys.key, substr(keys.key, 3) as member_id from keys where keys.key like 'm:%') x
      left join members m on m.merchant_id = ${M} and m.member_id = x.member_id
    ),
    -- The keys' orders of the open days, and before them only what counts: the two latest (in each
    -- bucket of an open order) for the previous-order dates, the latest for the lifecycle stage
    -- (latest by instant = latest by date: one time zone, checked by boundsFor).
    oo as (
      select mi.key, mi.member_id, o.business_date as d, o.order_id as k, o.tier_at_order as t, o.amount, o.member_discount
      from orders o join mi on mi.member_id = o.member_id
      where o.merchant_id = ${M} and o.business_date > ${T} and o.business_date <= ${D}
    ),
    ob as (select distinct oo.key, oo.member_id, bk.bucket from oo cross join lateral (values ('*'::text), (oo.t)) bk(bucket) where bk.bucket is not null),
    hist as (
      select ob.key, ob.member_id, ob.bucket, h.d, h.k from ob cross join lateral (
        select o.business_date as d, o.order_id as k from orders o
        where o.merchant_id = ${M} and o.member_id = ob.member_id and o.business_date <= ${T} and (ob.bucket = '*' or o.tier_at_order = ob.bucket)
        order by o.paid_at desc, o.order_id desc limit 2
      ) h
    ),
    seq as (
      select x.key, x.bucket, x.d, x.open, lag(x.d) over w as p, lag(x.d, 2) over w as pp from (
        select hist.key, hist.member_id, hist.bucket, hist.d, hist.k, false as open from hist
        union all
        select oo.key, oo.member_id, bk.bucket, oo.d, oo.k, true from oo cross join lateral (values ('*'::text), (oo.t)) bk(bucket) where bk.bucket is not null
      ) x window w as (partition by x.member_id, x.bucket order by x.d, x.k)
    ),
    -- Points rows of the open days; a member changing tier takes their whole balance along: all their rows then.
    pl as (
      select mi.key, mi.member_id, p.business_date as d, p.kind, p.delta, p.occurred_at
      from points_ledger p join mi on mi.member_id = p.member_id
      where p.merchant_id = ${M} and p.business_date > ${T} and p.business_date <= ${D}
      union all
      select mi.key, mi.member_id, p.business_date, p.kind, p.delta, p.occurred_at
      from mi join points_ledger p on p.merchant_id = ${M} and p.member_id = mi.member_id and p.business_date <= ${T}
      where mi.t_t is distinct from mi.t_d
    ),
    lo as (
      select mi.key,
        (select o.business_date from orders o where o.merchant_id = ${M} and o.member_id = mi.member_id and o.business_date <= ${T}
         order by o.paid_at desc limit 1) as l_t
      from mi
    ),
    od as (select oo.key, max(oo.d) as l_o from oo group by oo.key),
    pb as (select pl.key, sum(pl.delta) filter (where pl.d > ${T}) as delta, sum(pl.delta) filter (where pl.d <= ${T}) as bal_t from pl group by pl.key),
    st as (
      select mi.*, lo.l_t, coalesce(od.l_o, lo.l_t) as l_d, coalesce(pb.delta, 0) as delta, coalesce(pb.bal_t, 0) as bal_t
      from mi join lo on lo.key = mi.key left join od on od.key = mi.key left join pb on pb.key = mi.key
    ),
    ret as (
      select y.key, y.r, y.t_reg, y.mth, min(y.d) as d from (
        select st.key, st.r, st.t_reg, date_trunc('month', oo.d)::date as mth, oo.d
        from st join oo on oo.key = st.key
        where st.r is not null and (st.r > ${T} or not (date_trunc('month', oo.d)::date = ${tMonth} and st.l_t >= ${tMonth}))
        union all
        select st.key, st.r, st.t_reg, ${tMonth}, ${T} + 1 from st where st.r > ${T} and st.l_t >= ${tMonth}
      ) y group by y.key, y.r, y.t_reg, y.mth
    ),
    ${rfmCtes(b)},
    cr as (
      select seq.key, 'p1'::text as kind, seq.bucket, seq.d, coalesce(seq.p, ${none}) as v, ''::text as k, 1::bigint as n from seq where seq.open
      union all
      select seq.key, 'p2', seq.bucket, seq.d, coalesce(seq.pp, ${none}), '', 1 from seq where seq.open
      union all
      select oo.key, f.kind, bk.bucket, oo.d, ${none}, '', f.x from oo
      cross join lateral (values ('*'::text), (oo.t)) bk(bucket)
      cross join lateral (values ('ms'::text, oo.amount), ('rc', oo.member_discount)) f(kind, x)
      where bk.bucket is not null
      union all
      select mi.key, 'ms', bk.bucket, r.business_date, ${none}, '', -r.amount
      from refunds r join mi on mi.member_id = r.member_id
      left join orders ro on ro.merchant_id = r.merchant_id and ro.order_id = r.order_id
      cross join lateral (values ('*'::text), (ro.tier_at_order)) bk(bucket)
      where r.merchant_id = ${M} and r.business_date > ${T} and r.business_date <= ${D} and bk.bucket is not null
      union all
      select mi.key, 'rc', bk.bucket, ri.redeemed_date, ${none}, '', ri.unit_cost
      from mi join right_instances ri on ri.merchant_id = ${M} and ri.member_id = mi.member_id and ri.redeemed_date > ${T} and ri.redeemed_date <= ${D}
      cross join lateral (values ('*'::text), (${heldAt(sql`ri.member_id`, sql`ri.redeemed_at`)})) bk(bucket)
      where bk.bucket is not null
      union all
      select pl.key, f.kind, bk.bucket, pl.d, ${none}, '', f.x from pl
      cross join lateral (values ('*'::text), (${heldAt(sql`pl.member_id`, sql`pl.occurred_at`)})) bk(bucket)
      cross join lateral (values ('pi'::text, case when pl.kind in ('earn', 'bonus', 'adjust') and pl.delta > 0 then pl.delta else 0 end),
                                 ('pr', case when pl.kind = 'spend' then -pl.delta else 0 end),
                                 ('pe', case when pl.kind = 'expire' then -pl.delta else 0 end)) f(kind, x)
      where pl.d > ${T} and bk.bucket is not null and f.x <> 0
      union all
      select st.key, 'po', bk.bucket, ${D}, ${none}, '', bk.x from st
      cross join lateral (values ('*'::text, st.delta),
                                 (st.t_d, case when st.t_t is not distinct from st.t_d then st.delta else st.bal_t + st.delta end),
                                 (case when st.t_t is distinct from st.t_d then st.t_t end, -st.bal_t)) bk(bucket, x)
      where bk.bucket is not null
      union all
      select st.key, 'tc', bk.bucket, ${D}, ${none}, bk.k, bk.x from st
      cross join lateral (values ('*'::text, st.t_d, 1), (st.t_d, st.t_d, 1), ('*', st.t_t, -1), (st.t_t, st.t_t, -1)) bk(bucket, k, x)
      where st.t_t is distinct from st.t_d and bk.bucket is not null and bk.k is not null
      union all
      select st.key, 'lc', bk.bucket, ${D}, ${none}, bk.k, bk.x from st
      cross join lateral (values ('*'::text, ${stage(D, sql`st.l_d`)}, 1), (st.t_d, ${stage(D, sql`st.l_d`)}, 1),
                                 ('*', ${stage(T, sql`st.l_t`)}, -1), (st.t_t, ${stage(T, sql`st.l_t`)}, -1)) bk(bucket, k, x)
      where bk.bucket is not null and bk.k is not null
      union all
      select ret.key, 'ra', bk.bucket, ret.d, ret.r, to_char(ret.mth, 'YYYY-MM-DD'), 1 from ret
      cross join lateral (values ('*'::text), (ret.t_reg)) bk(bucket) where bk.bucket is not null
      union all
      select st.key, 'rs', bk.bucket, st.r, st.r, '', 1 from st
      cross join lateral (values ('*'::text), (st.t_reg)) bk(bucket) where st.r > ${T} and st.r <= ${D} and bk.bucket is not null
      union all
      ${rfmRows()}
      union all
      select keys.key, 'gs', '*', o.business_date, ${none}, '', o.amount
      from keys join orders o on o.merchant_id = ${M} and o.order_id = substr(keys.key, 3)
      where keys.key like 'o:%' and o.member_id is null and o.business_date > ${T} and o.business_date <= ${D}
      union all
      select 'o:' || r.order_id, 'gs', '*', r.business_date, ${none}, '', -r.amount
      from refunds r where r.merchant_id = ${M} and r.member_id is null and r.business_date > ${T} and r.business_date <= ${D}
        and 'o:' || r.order_id in (select keys.key from keys)
    )
    select cr.key, cr.kind, cr.bucket, cr.d, cr.v, cr.k, sum(cr.n)::bigint as n
    from cr group by 1, 2, 3, 4, 5, 6 having sum(cr.n) <> 0`;
}

/**
 * The CTEs rk, rw of the RFM contributions ('rf', 'rm': rfm-open.ts), given the CTEs mi (key,
 * member_id, t_t, t_d) and oo (the keys' orders of the open days, with member_id).
 */
function rfmCtes(b: Bounds): SQL {
  const { M } = b;
  const T = sql`${b.T}::date`;
  const D = sql`${b.D}::date`;
  const wsT = sql`${rfmWindowStart(b.T)}::date`;
  const wsD = sql`${rfmWindowStart(b.D)}::date`;
  return sql`
    -- RFM measures (rfm.ts) over the trailing 12 months ending T (−1, bucket at T) and ending D (+1,
    -- bucket at D), when scored — only for the members whose measures or bucket can differ (rows on
    -- the open days or on the days leaving the window, or another tier): anyone else's two cancel.
    rk as (
      select oo.member_id from oo
      union select r.member_id from refunds r join mi on mi.member_id = r.member_id
        where r.merchant_id = ${M} and r.business_date > ${T} and r.business_date <= ${D}
      union select o.member_id from orders o join mi on mi.member_id = o.member_id
        where o.merchant_id = ${M} and o.business_date >= ${wsT} and o.business_date < ${wsD}
      union select r.member_id from refunds r join mi on mi.member_id = r.member_id
        where r.merchant_id = ${M} and r.business_date >= ${wsT} and r.business_date < ${wsD}
      union select mi.member_id from mi where mi.t_t is distinct from mi.t_d
    ),
    rw as (
      select mi.key, w.x, w.tier, w.last_date, w.orders, w.paid - coalesce(w.refunded, 0) as spend
      from mi join rk on rk.member_id = mi.member_id
      cross join lateral (
        select max(o.business_date) filter (where o.business_date <= ${T}) as l_t, count(*) filter (where o.business_date <= ${T}) as f_t,
               sum(o.amount) filter (where o.business_date <= ${T}) as p_t,
               max(o.business_date) filter (where o.business_date >= ${wsD}) as l_d, count(*) filter (where o.business_date >= ${wsD}) as f_d,
               sum(o.amount) filter (where o.business_date >= ${wsD}) as p_d
        from orders o where o.merchant_id = ${M} and o.member_id = mi.member_id and o.business_date between ${wsT} and ${D}
      ) a
      cross join lateral (
        select sum(r.amount) filter (where r.business_date <= ${T}) as r_t, sum(r.amount) filter (where r.business_date >= ${wsD}) as r_d
        from refunds r where r.merchant_id = ${M} and r.member_id = mi.member_id and r.business_date between ${wsT} and ${D}
      ) rr
      cross join lateral (values (-1, mi.t_t, a.l_t, a.f_t, a.p_t, rr.r_t), (1, mi.t_d, a.l_d, a.f_d, a.p_d, rr.r_d)) w(x, tier, last_date, orders, paid, refunded)
      where w.orders > 0
    )`;
}

/** rw's rows as contributions. */
function rfmRows(): SQL {
  const none = sql`${NONE}::date`;
  return sql`
      select rw.key, 'rf'::text as kind, bk.bucket, rw.last_date as d, ${none} as v, rw.orders::text as k, rw.x::bigint as n from rw
      cross join lateral (values ('*'::text), (rw.tier)) bk(bucket) where bk.bucket is not null
      union all
      select rw.key, 'rm', bk.bucket, ${none}, ${none}, rw.spend::text, rw.x from rw
      cross join lateral (values ('*'::text), (rw.tier)) bk(bucket) where bk.bucket is not null`;
}

/** The RFM contributions alone of the keys `keys` yields (what a reader of rfm corrects with: much less than contributions()). */
function rfmContributions(b: Bounds, keys: SQL): SQL {
  const { M } = b;
  const tierAtEnd = (member: SQL, day: string) => sql`(select th.to_tier from tier_history th where th.merchant_id = ${M} and th.member_id = ${member}
      and th.business_date <= ${day}::date order by th.business_date desc, th.changed_at desc, th.id desc limit 1)`;
  return sql`
    with keys as (select distinct k0.key from (${keys}) k0(key)),
    mi as (
      select x.key, x.member_id, ${tierAtEnd(sql`x.member_id`, b.T)} as t_t, ${tierAtEnd(sql`x.member_id`, b.D)} as t_d
      from (select keys.key, substr(keys.key, 3) as member_id from keys where keys.key like 'm:%') x
    ),
    oo as (
      select mi.key, mi.member_id from orders o join mi on mi.member_id = o.member_id
      where o.merchant_id = ${M} and o.business_date > ${b.T}::date and o.business_date <= ${b.D}::date
    ),
    ${rfmCtes(b)},
    cr as (${rfmRows()})
    select cr.key, cr.kind, cr.bucket, cr.d, cr.v, cr.k, sum(cr.n)::bigint as n
    from cr group by 1, 2, 3, 4, 5, 6 having sum(cr.n) <> 0`;
}

/** Every key with a contribution when the open day is built from scratch (rows of the open days, and members whose stage moves with time). */
function allKeys(b: Bounds): SQL {
  const { M, tz } = b;
  const T = sql`${b.T}::date`;
  const D = sql`${b.D}::date`;
  const open = (col: SQL) => sql`${col} > ${T} and ${col} <= ${D}`;
  const shifted = (col: SQL, days: number) => sql`(${col} > ${T} - ${days}::int and ${col} <= ${D} - ${days}::int)`;
  return sql`
    select 'm:' || o.member_id from orders o where o.merchant_id = ${M} and o.member_id is not null
      and (${open(sql`o.business_date`)} or ${shifted(sql`o.business_date`, b.dd)} or ${shifted(sql`o.business_date`, b.l)})
    union select 'o:' || o.order_id from orders o where o.merchant_id = ${M} and o.member_id is null and ${open(sql`o.business_date`)}
    union select case when r.member_id is null then 'o:' || r.order_id else 'm:' || r.member_id end from refunds r
      where r.merchant_id = ${M} and ${open(sql`r.business_date`)}
    union select 'm:' || o.member_id from orders o where o.merchant_id = ${M} and o.member_id is not null
      and o.business_date >= ${rfmWindowStart(b.T)}::date and o.business_date < ${rfmWindowStart(b.D)}::date
    union select 'm:' || r.member_id from refunds r where r.merchant_id = ${M} and r.member_id is not null
      and r.business_date >= ${rfmWindowStart(b.T)}::date and r.business_date < ${rfmWindowStart(b.D)}::date
    union select 'm:' || p.member_id from points_ledger p where p.merchant_id = ${M} and ${open(sql`p.business_date`)}
    union select 'm:' || ri.member_id from right_instances ri where ri.merchant_id = ${M} and ${open(sql`ri.redeemed_date`)}
    union select 'm:' || th.member_id from tier_history th where th.merchant_id = ${M} and ${open(sql`th.business_date`)}
    union select 'm:' || mm.member_id from members mm where mm.merchant_id = ${M}
      and (${open(sql`(mm.registered_at at time zone ${tz})::date`)} or ${shifted(sql`(mm.registered_at at time zone ${tz})::date`, b.n)})`;
}

/** The bounds of an open day ending `day` after the aggregates' last day, or null when it does not apply. */
async function boundsFor(db: Db, merchantId: string, day: string): Promise<(Bounds & { signature: string }) | null> {
  const [row] = await queryRows<{ rollup: string | null; distinct: string | null }>(
    db,
    sql`select (select through_date::text from metric_rollup_state where merchant_id = ${merchantId}) as rollup,
               (select through_date::text from metric_distinct_state where merchant_id = ${merchantId}) as distinct`,
  );
  if (!row?.rollup || row.rollup !== row.distinct || day <= row.rollup) return null;
  const T = row.rollup;
  const { program, segments } = await lifecycleSegments(db, merchantId, T, day);
  if (segments.length !== 1 || !(await singleTimeZone(db, merchantId))) return null;
  const g = segments[0];
  return { M: merchantId, T, D: day, tz: program.timeZone, n: g.n, dd: g.d, l: g.l, signature: await signatureNow(db, merchantId, program) };
}

const openLock = (merchantId: string) => sql`hashtextextended(${`${merchantId}:open-day`}, 0)`;

/**
 * Brings the open day `day` (default: the one kept) up to date: recomputes the keys the engine logged
 * since the last refresh, or builds it from scratch when there is none for the aggregates' current
 * last day and `day` (the period job calls this after its run, for the day after the last it closed).
 * Returns the keys recomputed, or null when no open day applies (it is then removed).
 */
export async function refreshOpenDay(db: Db, merchantId: string, day?: string, opts: { tryLock?: boolean; rfmWindow?: number } = {}): Promise<number | null> {
  const state = await openState(db, merchantId);
  const D = day ?? state?.openDate;
  if (!D) return null;
  const b = await boundsFor(db, merchantId, D);
  if (!b) {
    if (state) await dropOpenDay(db, merchantId);
    return null;
  }
  const fresh = !state || !state.ready || state.throughDate !== b.T || state.openDate !== b.D || state.signature !== b.signature;
  if (fresh) {
    // Start logging first, then wait for the batches that may have missed it (they hold the
    // merchant's lock in shared mode): every batch not seen by the build below logs its keys.
    await db.execute(sql`
      insert into metric_open_state (merchant_id, through_date, open_date, signature, ready)
      values (${merchantId}, ${b.T}::date, ${b.D}::date, ${b.signature}, false)
      on conflict (merchant_id) do update set through_date = excluded.through_date, open_date = excluded.open_date,
        signature = excluded.signature, ready = false, refreshed_at = now()`);
    await db.transaction((tx) => lockMerchant(tx, merchantId));
  }
  return db.transaction(async (tx) => {
    if (opts.tryLock) {
      const [got] = await queryRows<{ ok: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${openLock(merchantId)}) as ok`);
      if (!got?.ok) return 0;
    } else await tx.execute(sql`select pg_advisory_xact_lock(${openLock(merchantId)})`);
    const log = await queryRows<{ id: number }>(tx, sql`select id from metric_open_log where merchant_id = ${merchantId}`);
    const ids = log.map((r) => num(r.id));
    const idList = sql`(select x::bigint from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) t(x))`;
    await tx.execute(sql`drop table if exists open_contrib_new, open_keys`);
    if (!fresh && !ids.length) return 0;
    // The keys to (re)compute, in a table the planner knows the size of (110,000 keys at 1M members).
    const keys = fresh ? allKeys(b) : sql`select jsonb_array_elements_text(l.keys) from metric_open_log l where l.merchant_id = ${merchantId} and l.id in ${idList}`;
    await tx.execute(sql`create temp table open_keys on commit drop as select distinct k.key from (${keys}) k(key)`);
    await tx.execute(sql`analyze open_keys`);
    await tx.execute(sql`create temp table open_contrib_new on commit drop as ${contributions(b, sql`select open_keys.key from open_keys`)}`);
    if (fresh) {
      await tx.execute(sql`delete from metric_open_contrib where merchant_id = ${merchantId}`);
      await tx.execute(sql`delete from metric_open_sums where merchant_id = ${merchantId}`);
    } else {
      // The recomputed keys' old contributions leave the sums.
      await tx.execute(sql`
        with old as (
          delete from metric_open_contrib c using open_keys k where c.merchant_id = ${merchantId} and c.key = k.key
          returning c.kind, c.bucket, c.d, c.v, c.k, c.n
        )
        insert into metric_open_sums (merchant_id, kind, bucket, d, v, k, n)
        select ${merchantId}, kind, bucket, d, v, k, -sum(n) from old group by kind, bucket, d, v, k
        on conflict (merchant_id, kind, bucket, d, v, k) do update set n = metric_open_sums.n + excluded.n`);
    }
    await tx.execute(sql`
      insert into metric_open_contrib (merchant_id, key, kind, bucket, d, v, k, n)
      select ${merchantId}, key, kind, bucket, d, v, k, n from open_contrib_new`);
    await tx.execute(sql`
      insert into metric_open_sums (merchant_id, kind, bucket, d, v, k, n)
      select ${merchantId}, kind, bucket, d, v, k, sum(n) from open_contrib_new group by kind, bucket, d, v, k
      on conflict (merchant_id, kind, bucket, d, v, k) do update set n = metric_open_sums.n + excluded.n`);
    await tx.execute(sql`delete from metric_open_sums where merchant_id = ${merchantId} and n = 0`);
    if (ids.length) await tx.execute(sql`delete from metric_open_log where merchant_id = ${merchantId} and id in ${idList}`);
    // RFM at D: the base at T plus the sums (rfm-open.ts).
    const tiers = (await currentProgram(tx, merchantId)).tiers.map((t) => t.code);
    await writeRfmSummary(tx, merchantId, b.T, b.D, ["*", ...tiers], opts.rfmWindow ?? RFM_WINDOW);
    await tx.execute(sql`
      insert into metric_open_state (merchant_id, through_date, open_date, signature, ready)
      values (${merchantId}, ${b.T}::date, ${b.D}::date, ${b.signature}, true)
      on conflict (merchant_id) do update set through_date = excluded.through_date, open_date = excluded.open_date,
        signature = excluded.signature, ready = true, refreshed_at = now()`);
    const [{ n }] = await queryRows<{ n: number }>(tx, sql`select count(distinct key)::int as n from open_contrib_new`);
    return num(n);
  });
}

/** Removes the open day (and stops the engine's logging for the merchant). */
export async function dropOpenDay(db: Db, merchantId: string) {
  for (const t of ["metric_open_state", "metric_open_contrib", "metric_open_sums", "metric_open_log", "metric_open_rfm"])
    await db.execute(sql`delete from ${sql.identifier(t)} where merchant_id = ${merchantId}`);
}

export interface OpenRow {
  kind: string;
  bucket: string;
  d: string;
  v: string;
  k: string;
  n: number;
}

/**
 * The open day's rows of the given kinds and buckets, exact for the data in the caller's snapshot:
 * the sums plus, for each key logged since the last refresh, its contributions now minus the stored
 * ones. Null when the open day does not serve a read ending `to` after the aggregates' last day
 * `through` (none, another T, not built yet, another program shape, or it ends before `to`).
 * Call it in the same (repeatable-read) transaction as the other reads of the answer.
 */
export function openRows(
  ctx: { db: Db; merchantId: string; program: LoadedProgram },
  through: string,
  to: string,
  kinds: string[],
  buckets: string[],
): Promise<{ openDate: string; rows: OpenRow[] } | null> {
  // Once per answer (the series and the total ask the same).
  return memoRead(ctx, through, to, kinds, buckets, true);
}

/**
 * As openRows, but only the corrections: for each key logged since the last refresh, its contributions
 * now minus the stored ones (none when nothing was logged). For the readers that keep their own
 * summary of the sums (RFM, rfm-open.ts).
 */
export function openCorrections(
  ctx: { db: Db; merchantId: string; program: LoadedProgram },
  through: string,
  to: string,
  kinds: string[],
  buckets: string[],
): Promise<{ openDate: string; rows: OpenRow[] } | null> {
  return memoRead(ctx, through, to, kinds, buckets, false);
}

function memoRead(ctx: { db: Db; merchantId: string; program: LoadedProgram }, through: string, to: string, kinds: string[], buckets: string[], withSums: boolean) {
  let memo = openRowsMemo.get(ctx);
  if (!memo) openRowsMemo.set(ctx, (memo = new Map()));
  const key = `${through}|${to}|${kinds.join(",")}|${buckets.join(",")}|${withSums}`;
  let p = memo.get(key);
  if (!p) memo.set(key, (p = readOpenRows(ctx, through, to, kinds, buckets, withSums)));
  return p;
}

const openRowsMemo = new WeakMap<object, Map<string, Promise<{ openDate: string; rows: OpenRow[] } | null>>>();

async function readOpenRows(
  ctx: { db: Db; merchantId: string; program: LoadedProgram },
  through: string,
  to: string,
  kinds: string[],
  buckets: string[],
  withSums: boolean,
): Promise<{ openDate: string; rows: OpenRow[] } | null> {
  const { db, merchantId } = ctx;
  const [state] = await queryRows<{ through_date: string; open_date: string; signature: string; ready: boolean; v: number | null; n: number; logged: boolean }>(
    db,
    sql`select s.through_date::text, s.open_date::text, s.signature, s.ready,
               (select max(pv.version)::int from program_versions pv where pv.merchant_id = s.merchant_id) as v,
               (select count(*)::int from program_versions pv where pv.merchant_id = s.merchant_id) as n,
               exists (select 1 from metric_open_log l where l.merchant_id = s.merchant_id) as logged
        from metric_open_state s where s.merchant_id = ${merchantId}`,
  );
  if (!state?.ready || state.through_date !== through || state.open_date < to) return null;
  const p = ctx.program;
  if (state.signature !== `${p.timeZone}|${p.tiers.map((t) => t.code).join(",")}|${num(state.v)}/${num(state.n)}`) return null;
  const list = (xs: string[]) =>
    sql`(${sql.join(
      xs.map((x) => sql`${x}`),
      sql`, `,
    )})`;
  let corrections = sql``;
  if (!withSums && !state.logged) return { openDate: state.open_date, rows: [] };
  if (state.logged) {
    const b = await boundsFor(db, merchantId, state.open_date);
    if (!b || b.T !== through) return null;
    const lk = sql`select distinct jsonb_array_elements_text(l.keys) from metric_open_log l where l.merchant_id = ${merchantId}`;
    corrections = sql`
      ${withSums ? sql`union all` : sql``}
      select c.kind, c.bucket, c.d, c.v, c.k, -c.n as n from metric_open_contrib c
      where c.merchant_id = ${merchantId} and c.key in (${lk}) and c.kind in ${list(kinds)} and c.bucket in ${list(buckets)}
      union all
      select x.kind, x.bucket, x.d, x.v, x.k, x.n from (${kinds.every((k) => k === "rf" || k === "rm") ? rfmContributions(b, lk) : contributions(b, lk)}) x
      where x.kind in ${list(kinds)} and x.bucket in ${list(buckets)}`;
  }
  const rows = await queryRows<{ kind: string; bucket: string; d: string; v: string; k: string; n: number }>(
    db,
    sql`select x.kind, x.bucket, x.d::text as d, x.v::text as v, x.k, sum(x.n)::bigint as n from (
          ${withSums ? sql`select s.kind, s.bucket, s.d, s.v, s.k, s.n from metric_open_sums s
          where s.merchant_id = ${merchantId} and s.kind in ${list(kinds)} and s.bucket in ${list(buckets)}` : sql``}
          ${corrections}
        ) x group by 1, 2, 3, 4, 5 having sum(x.n) <> 0`,
  );
  return { openDate: state.open_date, rows: rows.map((r) => ({ kind: r.kind, bucket: r.bucket, d: r.d, v: r.v, k: r.k, n: num(r.n) })) };
}

/**
 * A reader's step before its snapshot: refresh the open day when many batches, or many keys, were
 * logged since (skipped if another refresh runs). The keys' bound keeps RFM's corrections well inside
 * its windows (a boundary stays exact up to RFM_WINDOW / 2 changed members, rfm-open.ts).
 */
export async function catchUpOpenDay(db: Db, merchantId: string) {
  const [row] = await queryRows<{ n: number; keys: number; ready: boolean | null }>(
    db,
    sql`select (select count(*) from metric_open_log where merchant_id = ${merchantId})::int as n,
               (select coalesce(sum(jsonb_array_length(keys)), 0) from metric_open_log where merchant_id = ${merchantId})::int as keys,
               (select ready from metric_open_state where merchant_id = ${merchantId}) as ready`,
  );
  if (row?.ready && (num(row.n) > OPEN_LOG_REFRESH || num(row.keys) > OPEN_LOG_KEYS_REFRESH))
    await refreshOpenDay(db, merchantId, undefined, { tryLock: true });
}

