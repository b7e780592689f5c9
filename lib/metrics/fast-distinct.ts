import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { currentProgram, type LoadedProgram } from "@/lib/program/store";
import { addDays, addMonths, startOfBusinessDate } from "@/lib/util/dates";
import { metricContext, num, periodTable, ratio, type Metric, type MetricContext, type MetricParams } from "./common";
import { metrics, type MetricName } from "./index";
import type { Arpu } from "./arpu";
import type { Period } from "./periods";
import { monthsOf, periodsOf } from "./periods";
import type { Repurchase } from "./repurchase";
import { assembleRetention, RETENTION_MONTHS } from "./retention";
import type { RightsUsage } from "./rights-usage";
import type { TierChanges } from "./tier-changes";
import { tierAtRegistration, tierMovesSince } from "./tier-at-time";
import { netSpendHeld } from "./held-tier";
import { earliestDataDate } from "./rollup";
import { catchUpOpenDay, openRows, snapshot } from "./open-day";

/*
 * Fast paths for the metrics that count distinct members over a range (repurchase, arpu,
 * tier-changes, retention) or "redeemed by now" (rights-usage), from the aggregates of
 * db/schema/metric-aggregates.ts, exact for any range, granularity and tier filter (the tier held
 * at the time; bucket '*' = no filter).
 *
 * Distinct members with an event in [a, b] (buyers, members upgraded): every member's first event
 * in the range is the one event e with p(e) < a ≤ d(e) ≤ b (p = the member's previous event's
 * date), so the count is firsts(a, b) = #{e : p(e) < a ≤ d(e) ≤ b}; members with ≥ 2 (repeat
 * buyers) are those whose first event's next one nx(e) is ≤ b: repeats(a, b) =
 * #{e : p(e) < a ≤ d(e), nx(e) ≤ b}. Each event adds 1 to a rectangle of the (a, x) plane
 * (a in (p, d], x ≥ d, resp. x ≥ nx): metric_event_pairs holds the 2-D running sums, built with
 * difference arrays, so a period is one index probe. Days after the aggregates' last day T (today)
 * are added from the raw tables exactly: an uncovered event u counts as a first when
 * a ≤ d(u), p(u) < a, and as a repeat when p(u) ≥ a > pp(u) (u is the member's second in range).
 */

const STAR = "*";
type Cov = { firstDate: string; throughDate: string };

const maxDate = (a: string, b: string) => (a > b ? a : b);
const minDate = (a: string, b: string) => (a < b ? a : b);
const monthEnd = (d: string) => addDays(addMonths(`${d.slice(0, 7)}-01`, 1), -1);

/** The time zone and tier order the aggregates depend on. */
function signatureOf(program: LoadedProgram): string {
  return `${program.timeZone}|${program.tiers.map((t) => t.code).join(",")}`;
}

export async function distinctCoverage(db: Db, merchantId: string): Promise<(Cov & { signature: string; rightsThroughDate: string }) | null> {
  const [row] = await queryRows<{ first_date: string; through_date: string; rights_through_date: string; signature: string }>(
    db,
    sql`select first_date::text, through_date::text, rights_through_date::text, signature from metric_distinct_state where merchant_id = ${merchantId}`,
  );
  return row ? { firstDate: row.first_date, throughDate: row.through_date, rightsThroughDate: row.rights_through_date, signature: row.signature } : null;
}

/** The tier-move direction of a tier_history row `th`: 1 up, -1 down, 0 neither (as tier-changes.ts). */
function moveDirection(program: LoadedProgram): SQL {
  const ranks = sql.join(
    program.tiers.map((t, rank) => sql`(${t.code}::text, ${rank}::int)`),
    sql`, `,
  );
  return sql`case when th.direction = 'up' then 1 when th.direction = 'down' then -1
                  when th.direction = 'manual' then sign((select r.rank from (values ${ranks}) r(code, rank) where r.code = th.to_tier)
                                                       - (select r.rank from (values ${ranks}) r(code, rank) where r.code = th.from_tier))
                  else 0 end`;
}

type EventKind = "order" | "up" | "down";

/** The events of a kind as rows (member_id, d, k, t, ts): date, tie-break within a day, tier bucket, instant. */
function events(merchantId: string, kind: EventKind, program: LoadedProgram): SQL {
  if (kind === "order")
    return sql`select o.member_id, o.business_date as d, o.order_id as k, o.tier_at_order as t, o.paid_at as ts
               from orders o where o.merchant_id = ${merchantId} and o.member_id is not null`;
  return sql`select th.member_id, th.business_date as d, th.id as k, th.from_tier as t, th.changed_at as ts
             from tier_history th where th.merchant_id = ${merchantId} and ${moveDirection(program)} = ${kind === "up" ? 1 : -1}`;
}

/**
 * The dates of the member's two events of the kind (in the bucket) before the event `u` (columns
 * member_id, ts, k), latest first, read backwards on the (merchant, member, instant) index: in
 * instant order, which is date order because the business date is the date of the instant in the
 * merchant's one time zone (fastSetup checks there has only ever been one). "Before u" is by
 * (instant, key); the two latest of those by instant alone, as the index gives them: two events
 * with the same instant have the same date, so the dates do not depend on which comes first.
 */
function previousTwo(merchantId: string, kind: EventKind, program: LoadedProgram, bucket: string): SQL {
  if (kind === "order")
    return sql`select array_agg(x.d order by x.ts desc, x.k desc) as ds from (
                 select o2.business_date as d, o2.paid_at as ts, o2.order_id as k from orders o2
                 where o2.merchant_id = ${merchantId} and o2.member_id = u.member_id and o2.paid_at <= u.ts
                   and (o2.paid_at, o2.order_id) < (u.ts, u.k) ${bucket === STAR ? sql`` : sql`and o2.tier_at_order = ${bucket}`}
                 order by o2.paid_at desc limit 2) x`;
  return sql`select array_agg(x.d order by x.ts desc, x.k desc) as ds from (
               select th.business_date as d, th.changed_at as ts, th.id as k from tier_history th
               where th.merchant_id = ${merchantId} and th.member_id = u.member_id and th.changed_at <= u.ts
                 and (th.changed_at, th.id) < (u.ts, u.k) and ${moveDirection(program)} = ${kind === "up" ? 1 : -1}
                 ${bucket === STAR ? sql`` : sql`and th.from_tier = ${bucket}`}
               order by th.changed_at desc limit 2) x`;
}

// ---------------------------------------------------------------------------------------------
// Refresh
// ---------------------------------------------------------------------------------------------

/** metric_event_pairs for one kind: recomputes the columns x in [x0, x1] (x0 = first: from scratch). */
async function refreshPairs(db: Db, merchantId: string, kind: EventKind, program: LoadedProgram, first: string, x0: string, x1: string) {
  const ev = events(merchantId, kind, program);
  const scratch = x0 <= first;
  const who = scratch ? sql`` : sql`and e.member_id in (select e2.member_id from (${ev}) e2 where e2.d between ${x0}::date and ${x1}::date)`;
  const base = scratch
    ? sql`select null::text as tier, null::date as a, 0 as firsts, 0 as repeats where false`
    : sql`select distinct on (tier, a) tier, a, firsts, repeats from metric_event_pairs
          where merchant_id = ${merchantId} and kind = ${kind} and x < ${x0}::date order by tier, a, x desc`;
  await db.execute(sql`delete from metric_event_pairs where merchant_id = ${merchantId} and kind = ${kind} and x >= ${x0}::date`);
  await db.execute(sql`
    insert into metric_event_pairs (merchant_id, kind, tier, a, x, firsts, repeats)
    with ev as (select e.member_id, e.d, e.k, e.t from (${ev}) e where e.d <= ${x1}::date ${who}),
    b as (
      select ${STAR}::text as tier, e.d, lag(e.d) over w as p, lead(e.d) over w as nx from ev e
      window w as (partition by e.member_id order by e.d, e.k)
      union all
      select e.t, e.d, lag(e.d) over w, lead(e.d) over w from ev e where e.t is not null
      window w as (partition by e.member_id, e.t order by e.d, e.k)
    ),
    dd as (
      select z.tier, z.a, z.x, sum(z.f)::int as f, sum(z.r)::int as r from (
        select tier, coalesce(p + 1, ${first}::date) as a, d as x, 1 as f, 0 as r from b where d >= ${x0}::date
        union all select tier, d + 1, d, -1, 0 from b where d >= ${x0}::date
        union all select tier, coalesce(p + 1, ${first}::date), nx, 0, 1 from b where nx >= ${x0}::date
        union all select tier, d + 1, nx, 0, -1 from b where nx >= ${x0}::date
      ) z where z.a <= z.x group by z.tier, z.a, z.x
    ),
    gx as (select distinct tier, x from dd),
    g as (select gx.tier, gx.x, a::date as a from gx cross join lateral generate_series(${first}::date, gx.x, interval '1 day') a),
    e as (
      select g.tier, g.a, g.x,
             sum(coalesce(dd.f, 0)) over (partition by g.tier, g.x order by g.a) as ef,
             sum(coalesce(dd.r, 0)) over (partition by g.tier, g.x order by g.a) as er
      from g left join dd on dd.tier = g.tier and dd.a = g.a and dd.x = g.x
    ),
    c as (
      select tier, a, x, sum(ef) over (partition by tier, a order by x) as cf, sum(er) over (partition by tier, a order by x) as cr
      from e where ef <> 0 or er <> 0
    ),
    base as (${base})
    select ${merchantId}, ${kind}, c.tier, c.a, c.x, (coalesce(base.firsts, 0) + c.cf)::int, (coalesce(base.repeats, 0) + c.cr)::int
    from c left join base on base.tier = c.tier and base.a = c.a`);
}

/** metric_tier_daily for the days [x0, x1]: member spend and registrations of the day, members per tier at its end. */
async function refreshTierDaily(db: Db, merchantId: string, program: LoadedProgram, first: string, x0: string, x1: string) {
  const tz = program.timeZone;
  const scratch = x0 <= first;
  const tiers = sql.join(
    [STAR, ...program.tiers.map((t) => t.code)].map((t) => sql`(${t}::text)`),
    sql`, `,
  );
  const who = scratch
    ? sql``
    : sql`and th.member_id in (select h2.member_id from tier_history h2 where h2.merchant_id = ${merchantId} and h2.business_date between ${x0}::date and ${x1}::date)`;
  // Registrations by business date: the index range on registered_at, widened by a day, then the exact date.
  const regFrom = addDays(x0, -1);
  const regTo = addDays(x1, 2);
  await db.execute(sql`delete from metric_tier_daily where merchant_id = ${merchantId} and business_date >= ${x0}::date`);
  await db.execute(sql`
    insert into metric_tier_daily (merchant_id, business_date, tier, member_spend, tier_members, registered)
    with days as (select d::date as d from generate_series(${x0}::date, ${x1}::date, interval '1 day') d),
    spend as (
      select o.business_date as d, o.tier_at_order as t, o.amount as s from orders o
      where o.merchant_id = ${merchantId} and o.member_id is not null and o.business_date between ${x0}::date and ${x1}::date
      union all
      select r.business_date, ro.tier_at_order, -r.amount from refunds r
      left join orders ro on ro.merchant_id = r.merchant_id and ro.order_id = r.order_id
      where r.merchant_id = ${merchantId} and r.member_id is not null and r.business_date between ${x0}::date and ${x1}::date
    ),
    spend_b as (
      select d, ${STAR}::text as tier, sum(s) as s from spend group by d
      union all select d, t, sum(s) from spend where t is not null group by d, t
    ),
    reg as (
      select rr.d, rr.t from (
        select (mm.registered_at at time zone ${tz})::date as d, ${tierAtRegistration(merchantId, sql`mm.member_id`)} as t
        from members mm
        where mm.merchant_id = ${merchantId}
          and mm.registered_at >= ${startOfBusinessDate(regFrom, tz).toISOString()}::timestamptz
          and mm.registered_at < ${startOfBusinessDate(regTo, tz).toISOString()}::timestamptz
      ) rr where rr.d between ${x0}::date and ${x1}::date
    ),
    reg_b as (
      select d, ${STAR}::text as tier, count(*) as n from reg group by d
      union all select d, t, count(*) from reg where t is not null group by d, t
    ),
    h as (
      select th.member_id, th.business_date as d, th.to_tier,
             row_number() over (partition by th.member_id, th.business_date order by th.changed_at desc, th.id desc) as rn
      from tier_history th where th.merchant_id = ${merchantId} and th.business_date <= ${x1}::date ${who}
    ),
    s as (select member_id, d, to_tier, lag(to_tier) over (partition by member_id order by d) as prev from h where rn = 1),
    dsum as (
      select d, tier, sum(n) as n from (
        select d, to_tier as tier, 1 as n from s where d >= ${x0}::date and prev is distinct from to_tier
        union all select d, prev, -1 from s where d >= ${x0}::date and prev is not null and prev <> to_tier
      ) z group by d, tier
    ),
    base as (select tier, tier_members from metric_tier_daily where merchant_id = ${merchantId} and business_date = ${addDays(x0, -1)}::date),
    -- '*', the program's tiers, and any other tier members are in (a tier no longer in the program).
    tiers as (select v.tier from (values ${tiers}) v(tier) union select tier from dsum union select tier from base)
    select ${merchantId}, g.d, g.tier, coalesce(sp.s, 0)::bigint,
           (coalesce(base.tier_members, 0) + sum(coalesce(ds.n, 0)) over (partition by g.tier order by g.d))::int,
           coalesce(rg.n, 0)::int
    from (select days.d, tiers.tier from days cross join tiers) g
    left join spend_b sp on sp.d = g.d and sp.tier = g.tier
    left join reg_b rg on rg.d = g.d and rg.tier = g.tier
    left join dsum ds on ds.d = g.d and ds.tier = g.tier
    left join base on base.tier = g.tier`);
}

/**
 * metric_rights_daily through x1: going forward (x0 = the day after the last one it counted
 * redemptions through), the new issue days plus the redemptions of [x0, x1] added to their issue
 * days; otherwise (first run, backdated correction) from scratch, one pass over the instances.
 */
async function refreshRights(db: Db, merchantId: string, forward: boolean, x0: string, x1: string) {
  const rows = (issued: SQL) => sql`
    select b.tier, ri.issued_date, ri.right_code, count(*)::int as issued,
           count(*) filter (where ri.redeemed_at is not null and ri.redeemed_date <= ${x1}::date)::int as redeemed
    from right_instances ri cross join lateral (values (${STAR}::text), (ri.tier_code)) b(tier)
    where ri.merchant_id = ${merchantId} and b.tier is not null ${issued}
    group by b.tier, ri.issued_date, ri.right_code`;
  if (!forward) {
    await db.execute(sql`delete from metric_rights_daily where merchant_id = ${merchantId}`);
    await db.execute(sql`insert into metric_rights_daily (merchant_id, tier, issued_date, right_code, issued, redeemed)
                         select ${merchantId}, x.* from (${rows(sql`and ri.issued_date <= ${x1}::date`)}) x`);
    return;
  }
  await db.execute(sql`delete from metric_rights_daily where merchant_id = ${merchantId} and issued_date >= ${x0}::date`);
  await db.execute(sql`insert into metric_rights_daily (merchant_id, tier, issued_date, right_code, issued, redeemed)
                       select ${merchantId}, x.* from (${rows(sql`and ri.issued_date between ${x0}::date and ${x1}::date`)}) x`);
  await db.execute(sql`
    update metric_rights_daily m set redeemed = m.redeemed + x.n
    from (
      select b.tier, ri.issued_date, ri.right_code, count(*)::int as n
      from right_instances ri cross join lateral (values (${STAR}::text), (ri.tier_code)) b(tier)
      where ri.merchant_id = ${merchantId} and b.tier is not null and ri.redeemed_at is not null
        and ri.redeemed_date between ${x0}::date and ${x1}::date and ri.issued_date < ${x0}::date
      group by b.tier, ri.issued_date, ri.right_code
    ) x
    where m.merchant_id = ${merchantId} and m.tier = x.tier and m.issued_date = x.issued_date and m.right_code = x.right_code`);
}

/** metric_retention_daily: recomputes the columns f in [x0, x1]. */
async function refreshRetention(db: Db, merchantId: string, program: LoadedProgram, x0: string, x1: string) {
  const tz = program.timeZone;
  await db.execute(sql`delete from metric_retention_daily where merchant_id = ${merchantId} and f >= ${x0}::date`);
  await db.execute(sql`
    insert into metric_retention_daily (merchant_id, tier, f, r, n)
    with mo as (
      select o.member_id, min(o.business_date) as f1 from orders o
      where o.merchant_id = ${merchantId} and o.member_id is not null
        and o.business_date between ${`${x0.slice(0, 7)}-01`}::date and ${x1}::date
      group by o.member_id, date_trunc('month', o.business_date)
    ),
    mr as (
      select mo.f1, mm.r, ${tierAtRegistration(merchantId, sql`mm.member_id`)} as t
      from mo join (select m2.member_id, (m2.registered_at at time zone ${tz})::date as r from members m2 where m2.merchant_id = ${merchantId}) mm
        on mm.member_id = mo.member_id
      where mm.r <= ${x1}::date and mo.f1 >= date_trunc('month', mm.r) and mo.f1 < date_trunc('month', mm.r) + interval '${sql.raw(String(RETENTION_MONTHS))} months'
    ),
    d as (
      select b.tier, mr.r, mr.f1, count(*) as n
      from mr cross join lateral (values (${STAR}::text), (mr.t)) b(tier) where b.tier is not null
      group by b.tier, mr.r, mr.f1
    ),
    grp as (select distinct tier, r, date_trunc('month', f1)::date as mth from d),
    g as (
      select grp.tier, grp.r, grp.mth, f::date as f from grp
      cross join lateral generate_series(grp.mth, least((grp.mth + interval '1 month' - interval '1 day')::date, ${x1}::date), interval '1 day') f
    ),
    c as (
      select g.tier, g.r, g.f, sum(coalesce(d.n, 0)) over (partition by g.tier, g.r, g.mth order by g.f) as n
      from g left join d on d.tier = g.tier and d.r = g.r and d.f1 = g.f
    )
    select ${merchantId}, c.tier, c.f, c.r, c.n::int from c where c.f >= ${x0}::date and c.r <= c.f and c.n > 0`);
}

/**
 * Brings the aggregates of the range-distinct metrics up to date for business dates
 * `fromDate`..`toDate` (default `fromDate`), like refreshDailyAggregates: from the earlier of
 * `fromDate` and the day after the last covered one, through the later of `toDate` and the last
 * covered one; a first run (or a changed time zone or tier list, or a date before the first
 * covered day) rebuilds from the merchant's earliest data. Set-based: a day costs the orders of its
 * month's buyers; a rebuild a few passes over orders, tier history and right instances.
 *
 * Routine: the period job calls it with each day it closes, beside refreshDailyAggregates; after a
 * bulk load, with the first day (or call `rebuildDistinctAggregates`); after a backdated event, with
 * its business date (the engine marks it stale at ingest: invalidateRollupsSql in rollup.ts).
 */
export async function refreshDistinctAggregates(db: Db, merchantId: string, fromDate: string, toDate: string = fromDate): Promise<Cov> {
  const program = await currentProgram(db, merchantId);
  const signature = signatureOf(program);
  return db.transaction(async (tx) => {
    const state = await distinctCoverage(tx, merchantId);
    let start = fromDate;
    let end = toDate < fromDate ? fromDate : toDate;
    let first: string;
    let scratch = true;
    if (state && state.signature === signature) {
      const next = addDays(state.throughDate, 1);
      if (next < start) start = next;
      if (state.throughDate > end) end = state.throughDate;
      first = state.firstDate;
      scratch = start < first;
    } else first = start;
    if (scratch) {
      const earliest = await earliestDataDate(tx, merchantId, program.timeZone);
      if (earliest !== null && earliest < first) first = earliest;
      if (state && state.throughDate > end) end = state.throughDate;
      start = first;
      for (const t of ["metric_event_pairs", "metric_tier_daily", "metric_rights_daily", "metric_retention_daily"])
        await tx.execute(sql`delete from ${sql.identifier(t)} where merchant_id = ${merchantId}`);
    }
    for (const kind of ["order", "up", "down"] as const) await refreshPairs(tx, merchantId, kind, program, first, start, end);
    await refreshTierDaily(tx, merchantId, program, first, start, end);
    await refreshRights(tx, merchantId, !scratch && state !== null && start === addDays(state.rightsThroughDate, 1), start, end);
    await refreshRetention(tx, merchantId, program, start, end);
    await tx.execute(sql`
      insert into metric_distinct_state (merchant_id, first_date, through_date, rights_through_date, signature)
      values (${merchantId}, ${first}::date, ${end}::date, ${end}::date, ${signature})
      on conflict (merchant_id) do update set first_date = excluded.first_date, through_date = excluded.through_date,
        rights_through_date = excluded.rights_through_date, signature = excluded.signature, refreshed_at = now()`);
    return { firstDate: first, throughDate: end };
  });
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

interface Fx {
  ctx: MetricContext;
  cov: Cov;
  bucket: string;
  /** Days the rights counts include are stale (a backdated event since the last refresh, marked by either invalidation). */
  stale: boolean;
}

/** The covered part [max(a, first), min(b, through)] of a period, or null. */
function coveredPart(p: Period, cov: Cov): Period | null {
  const start = maxDate(p.start, cov.firstDate);
  const end = minDate(p.end, cov.throughDate);
  return start <= end ? { start, end } : null;
}

const dateList = (xs: SQL[]) => sql.join(xs, sql`, `);

/** firsts and repeats of each period: covered days from metric_event_pairs, later days raw. */
async function pairCounts(fx: Fx, kind: EventKind, periods: Period[], withRepeats: boolean): Promise<{ firsts: number; repeats: number }[]> {
  const { ctx, cov, bucket } = fx;
  const out = periods.map(() => ({ firsts: 0, repeats: 0 }));
  const probes = periods.flatMap((p, i) => {
    const c = coveredPart(p, cov);
    return c ? [sql`(${i}::int, ${c.start}::date, ${c.end}::date)`] : [];
  });
  if (probes.length) {
    const rows = await queryRows<{ i: number; firsts: number; repeats: number }>(
      ctx.db,
      sql`select q.i, v.firsts, v.repeats from (values ${dateList(probes)}) q(i, a, b)
          cross join lateral (
            select mp.firsts, mp.repeats from metric_event_pairs mp
            where mp.merchant_id = ${ctx.merchantId} and mp.kind = ${kind} and mp.tier = ${bucket} and mp.a = q.a and mp.x <= q.b
            order by mp.x desc limit 1
          ) v`,
    );
    for (const r of rows) out[num(r.i)] = { firsts: num(r.firsts), repeats: num(r.repeats) };
  }
  const late = periods.flatMap((p, i) => (p.end > cov.throughDate ? [{ i, p }] : []));
  const open =
    late.length && kind === "order"
      ? await openRows(ctx, cov.throughDate, late.reduce((m, x) => maxDate(m, x.p.end), cov.throughDate), ["p1", "p2"], [bucket])
      : null;
  if (open) {
    // The open day's orders (d > T): a first when a ≤ d ≤ b and its previous order is before a; the
    // member's second in [a, b] when p ≥ a > pp, counted as #(pp < a) − #(p < a) (pp ≤ p).
    for (const { i, p } of late)
      for (const r of open.rows) {
        if (r.d > p.end || r.v >= p.start) continue;
        if (r.kind === "p1" && r.d >= p.start) out[i].firsts += r.n;
        if (withRepeats) out[i].repeats += r.kind === "p2" ? r.n : -r.n;
      }
  } else if (late.length) {
    const lastEnd = late.reduce((m, x) => maxDate(m, x.p.end), cov.throughDate);
    const ev = sql`select e.* from (${events(ctx.merchantId, kind, ctx.program)}) e ${bucket === STAR ? sql`` : sql`where e.t = ${bucket}`}`;
    const table = sql`(values ${dateList(late.map(({ i, p }) => sql`(${i}::int, ${p.start}::date, ${p.end}::date)`))}) q(i, a, b)`;
    const rows = await queryRows<{ i: number; firsts: number; repeats: number }>(
      ctx.db,
      // Each uncovered event u (typically today's) with the dates of its member's two previous events.
      sql`with u as (
            select u.d, prev.ds[1] as p, prev.ds[2] as pp
            from (${ev}) u cross join lateral (${previousTwo(ctx.merchantId, kind, ctx.program, bucket)}) prev
            where u.d > ${cov.throughDate}::date and u.d <= ${lastEnd}::date
          )
          select q.i,
                 count(*) filter (where u.d >= q.a and (u.p is null or u.p < q.a))::int as firsts,
                 count(*) filter (where u.p >= q.a and (u.pp is null or u.pp < q.a))::int as repeats
          from ${table} join u on u.d <= q.b
          group by q.i`,
    );
    for (const r of rows) {
      out[num(r.i)].firsts += num(r.firsts);
      if (withRepeats) out[num(r.i)].repeats += num(r.repeats);
    }
  }
  return out;
}

/** Members' net spend per period (tier at order): covered days from metric_tier_daily, later days raw. */
async function memberSpend(fx: Fx, periods: Period[]): Promise<number[]> {
  const { ctx, cov, bucket } = fx;
  const out = periods.map(() => 0);
  const probes = periods.flatMap((p, i) => {
    const c = coveredPart(p, cov);
    return c ? [sql`(${i}::int, ${c.start}::date, ${c.end}::date)`] : [];
  });
  if (probes.length) {
    const rows = await queryRows<{ i: number; s: number }>(
      ctx.db,
      sql`select q.i, (select coalesce(sum(t.member_spend), 0) from metric_tier_daily t
                       where t.merchant_id = ${ctx.merchantId} and t.tier = ${bucket} and t.business_date between q.a and q.b)::bigint as s
          from (values ${dateList(probes)}) q(i, a, b)`,
    );
    for (const r of rows) out[num(r.i)] = num(r.s);
  }
  const late = periods.flatMap((p, i) => (p.end > cov.throughDate ? [{ i, start: maxDate(p.start, addDays(cov.throughDate, 1)), end: p.end }] : []));
  const open = late.length ? await openRows(ctx, cov.throughDate, late.reduce((m, x) => maxDate(m, x.end), cov.throughDate), ["ms"], [bucket]) : null;
  if (open) {
    for (const x of late) for (const r of open.rows) if (r.d >= x.start && r.d <= x.end) out[x.i] += r.n;
  } else if (late.length) {
    const rows = await queryRows<{ i: number; s: number }>(
      ctx.db,
      sql`select p.i, ${netSpendHeld(ctx, "members")} as s from ${periodTable(late)}`,
    );
    for (const r of rows) out[late[num(r.i)].i] += num(r.s);
  }
  return out;
}

/** Members in each tier at the end of each of `days` (the days before the periods): the aggregate, plus raw changes after it. */
async function tiersAtEndOf(fx: Fx, days: string[]): Promise<Map<string, number>[]> {
  const { ctx, cov } = fx;
  const out = days.map(() => new Map<string, number>());
  const coveredDays = [...new Set(days.map((d) => minDate(d, cov.throughDate)).filter((d) => d >= cov.firstDate))];
  const queries: Promise<void>[] = [];
  if (coveredDays.length)
    queries.push(
      queryRows<{ day: string; tier: string; n: number }>(
        ctx.db,
        sql`select business_date::text as day, tier, tier_members as n from metric_tier_daily
            where merchant_id = ${ctx.merchantId} and tier <> ${STAR} and business_date in (${dateList(coveredDays.map((d) => sql`${d}::date`))})`,
      ).then((rows) => {
        for (const [i, d] of days.entries()) {
          const at = minDate(d, cov.throughDate);
          for (const r of rows) if (r.day === at) out[i].set(r.tier, (out[i].get(r.tier) ?? 0) + num(r.n));
        }
      }),
    );
  for (const [i, day] of days.entries())
    if (day > cov.throughDate)
      queries.push(tierMovesSince(ctx, cov.throughDate, day).then((rows) => rows.forEach((r) => out[i].set(r.tier, (out[i].get(r.tier) ?? 0) + r.n))));
  await Promise.all(queries);
  return out;
}

/** metricContext and the coverage, or null when the raw function must answer (no aggregates, or built for another program shape). */
async function fastSetup(db: Db, params: MetricParams): Promise<Fx | null> {
  // The engine marks days stale in metric_rollup_state when it writes backdated rows: honour it too.
  const [ctx, [state]] = await Promise.all([
    metricContext(db, params),
    queryRows<{ first_date: string; through_date: string; rights_through_date: string; signature: string; rollup_through: string | null; zones: number }>(
      db,
      sql`select s.first_date::text, s.through_date::text, s.rights_through_date::text, s.signature,
                 (select r.through_date::text from metric_rollup_state r where r.merchant_id = s.merchant_id) as rollup_through,
                 (select count(distinct v.time_zone) from program_versions v where v.merchant_id = s.merchant_id)::int as zones
          from metric_distinct_state s where s.merchant_id = ${params.merchantId}`,
    ),
  ]);
  // Raw when there are no aggregates, they were built for another time zone or tier list, or the
  // merchant ever changed time zone (the uncovered days' lookups rely on date order = instant order).
  if (!state || state.signature !== signatureOf(ctx.program) || num(state.zones) !== 1) return null;
  const throughDate = state.rollup_through ? minDate(state.through_date, state.rollup_through) : state.through_date;
  return { ctx, cov: { firstDate: state.first_date, throughDate }, bucket: ctx.tier ?? STAR, stale: throughDate < state.rights_through_date };
}

/**
 * Like seriesAndTotal (common.ts), the series per period and the total over [from, to] as one
 * period, but in one pass: the total is one more period of the same queries.
 */
function fastDistinct<S extends object>(name: MetricName, compute: (fx: Fx, periods: Period[]) => Promise<S[]>, opts: { rawWhenStale?: boolean } = {}): Metric {
  return async (db, params) => {
    await catchUpOpenDay(db, params.merchantId);
    return snapshot(db, async (tx) => {
      const fx = await fastSetup(tx, params);
      if (!fx || (opts.rawWhenStale && fx.stale)) return metrics[name](tx, params);
      const { from, to } = fx.ctx;
      const periods = periodsOf(from, to, fx.ctx.granularity);
      const rows = await compute(fx, [...periods, { start: from, end: to }]);
      return { name, from, to, series: periods.map((p, i) => ({ period: p.start, ...rows[i] })), total: rows[periods.length] };
    });
  };
}

const fastRepurchase = fastDistinct<Repurchase>("repurchase", async (fx, periods) =>
  (await pairCounts(fx, "order", periods, true)).map(({ firsts, repeats }) => ({ buyers: firsts, repeatBuyers: repeats, rate: ratio(repeats, firsts) })),
);

const fastArpu = fastDistinct<Arpu>("arpu", async (fx, periods) => {
  const [buyers, spend] = await Promise.all([pairCounts(fx, "order", periods, false), memberSpend(fx, periods)]);
  return periods.map((_, i) => ({ memberSpend: spend[i], activeMembers: buyers[i].firsts, arpu: ratio(spend[i], buyers[i].firsts) }));
});

const fastTierChanges = fastDistinct<TierChanges>("tier-changes", async (fx, periods) => {
  const tiers = fx.ctx.program.tiers;
  const top = tiers[tiers.length - 1].code;
  const bottom = tiers[0].code;
  const [ups, downs, starts] = await Promise.all([
    pairCounts(fx, "up", periods, false),
    pairCounts(fx, "down", periods, false),
    tiersAtEndOf(
      fx,
      periods.map((p) => addDays(p.start, -1)),
    ),
  ]);
  return periods.map((_, i) => {
    let notTop = 0;
    let notBottom = 0;
    for (const [tier, n] of starts[i]) {
      if (fx.ctx.tier !== null && tier !== fx.ctx.tier) continue;
      if (tier !== top) notTop += n;
      if (tier !== bottom) notBottom += n;
    }
    const upgrades = ups[i].firsts;
    const downgrades = downs[i].firsts;
    return { upgrades, downgrades, upgradeRate: ratio(upgrades, notTop), downgradeRate: ratio(downgrades, notBottom) };
  });
});

/**
 * rights-usage: issued from metric_rights_daily; redeemed = redeemed by its last day (there) + redeemed
 * since (right_instances_redeemed index); issue days after it raw. When a backdated event made days
 * stale, the stored redeemed counts may miss redemptions dated in them: raw then.
 */
const fastRightsUsage = fastDistinct<RightsUsage>("rights-usage", async (fx, periods) => {
  const { ctx, cov, bucket } = fx;
  const counts = periods.map(() => new Map<string, { issued: number; redeemed: number }>());
  const add = (i: number, code: string, issued: number, redeemed: number) => {
    const c = counts[i].get(code) ?? { issued: 0, redeemed: 0 };
    counts[i].set(code, { issued: c.issued + issued, redeemed: c.redeemed + redeemed });
  };
  const covered = periods.flatMap((p, i) => {
    const c = coveredPart(p, cov);
    return c ? [sql`(${i}::int, ${c.start}::date, ${c.end}::date)`] : [];
  });
  const tierCode = bucket === STAR ? sql`` : sql`and ri.tier_code = ${bucket}`;
  const queries: Promise<void>[] = [];
  if (covered.length) {
    const table = sql`(values ${dateList(covered)}) q(i, a, b)`;
    queries.push(
      queryRows<{ i: number; code: string; issued: number; redeemed: number }>(
        ctx.db,
        sql`select q.i, d.right_code as code, sum(d.issued)::int as issued, sum(d.redeemed)::int as redeemed
            from ${table} join metric_rights_daily d on d.merchant_id = ${ctx.merchantId} and d.tier = ${bucket} and d.issued_date between q.a and q.b
            group by q.i, d.right_code`,
      ).then((rows) => rows.forEach((r) => add(num(r.i), r.code, num(r.issued), num(r.redeemed)))),
      // Redeemed after the aggregates' last day: "redeemed by now".
      queryRows<{ i: number; code: string; n: number }>(
        ctx.db,
        sql`select q.i, ri.right_code as code, count(*)::int as n
            from ${table} join right_instances ri on ri.merchant_id = ${ctx.merchantId} and ri.redeemed_date > ${cov.throughDate}::date
              and ri.issued_date between q.a and q.b ${tierCode} and ri.issued_date <= ${cov.throughDate}::date
            group by q.i, ri.right_code`,
      ).then((rows) => rows.forEach((r) => add(num(r.i), r.code, 0, num(r.n)))),
    );
  }
  const late = periods.flatMap((p, i) =>
    p.end > cov.throughDate ? [sql`(${i}::int, ${maxDate(p.start, addDays(cov.throughDate, 1))}::date, ${p.end}::date)`] : [],
  );
  const lateEnd = periods.reduce((m, p) => maxDate(m, p.end), cov.throughDate);
  if (late.length)
    queries.push(
      queryRows<{ i: number; code: string; issued: number; redeemed: number }>(
        ctx.db,
        sql`select q.i, ri.right_code as code, count(*)::int as issued, count(ri.redeemed_at)::int as redeemed
            from (values ${dateList(late)}) q(i, a, b)
            join right_instances ri on ri.merchant_id = ${ctx.merchantId} and ri.issued_date between q.a and q.b ${tierCode}
              and ri.issued_date > ${cov.throughDate}::date and ri.issued_date <= ${lateEnd}::date
            group by q.i, ri.right_code`,
      ).then((rows) => rows.forEach((r) => add(num(r.i), r.code, num(r.issued), num(r.redeemed)))),
    );
  await Promise.all(queries);
  const codes = new Set(ctx.program.rights.map((r) => r.code));
  for (const c of counts) for (const [code, v] of c) if (v.issued > 0) codes.add(code);
  return counts.map((c) => {
    const out: RightsUsage = {};
    for (const code of codes) {
      const v = c.get(code);
      out[code] = v && v.issued > 0 ? { issued: v.issued, redeemed: v.redeemed, usageRate: ratio(v.redeemed, v.issued) } : { issued: 0, redeemed: 0, usageRate: null };
    }
    return out;
  });
}, { rawWhenStale: true });

/** retention: cohort sizes and retained counts from the aggregates, members and orders after them raw. */
const fastRetention: Metric = async (db, params) => {
  await catchUpOpenDay(db, params.merchantId);
  return snapshot(db, (tx) => retentionIn(tx, params));
};

async function retentionIn(db: Db, params: MetricParams) {
  const fx = await fastSetup(db, params);
  if (!fx) return metrics.retention(db, params);
  const { ctx, cov, bucket } = fx;
  const { from, to } = ctx;
  const T = cov.throughDate;
  const sizeOf = new Map<string, number>();
  const activeOf = new Map<string, number>();
  const bump = (m: Map<string, number>, key: string, n: number) => m.set(key, (m.get(key) ?? 0) + n);

  const sizeProbes: SQL[] = [];
  const activeProbes: SQL[] = [];
  for (const month of monthsOf(from, to)) {
    const cohort = month.slice(0, 7);
    const rLo = maxDate(maxDate(from, month), cov.firstDate);
    const rHi = minDate(minDate(to, monthEnd(month)), T);
    if (rLo > rHi) continue;
    sizeProbes.push(sql`(${cohort}::text, ${rLo}::date, ${rHi}::date)`);
    for (let k = 0; k < RETENTION_MONTHS; k++) {
      const m = addMonths(month, k);
      if (m > to || m > T) break;
      const f = minDate(minDate(monthEnd(m), to), T);
      activeProbes.push(sql`(${`${cohort}:${k}`}::text, ${f}::date, ${rLo}::date, ${rHi}::date)`);
    }
  }
  const queries: Promise<void>[] = [];
  if (sizeProbes.length)
    queries.push(
      queryRows<{ key: string; n: number }>(
        db,
        sql`select q.key, (select coalesce(sum(t.registered), 0) from metric_tier_daily t
                           where t.merchant_id = ${ctx.merchantId} and t.tier = ${bucket} and t.business_date between q.a and q.b)::int as n
            from (values ${dateList(sizeProbes)}) q(key, a, b)`,
      ).then((rows) => rows.forEach((r) => bump(sizeOf, r.key, num(r.n)))),
    );
  if (activeProbes.length)
    queries.push(
      queryRows<{ key: string; n: number }>(
        db,
        sql`select q.key, (select coalesce(sum(rd.n), 0) from metric_retention_daily rd
                           where rd.merchant_id = ${ctx.merchantId} and rd.tier = ${bucket} and rd.f = q.f and rd.r between q.a and q.b)::int as n
            from (values ${dateList(activeProbes)}) q(key, f, a, b)`,
      ).then((rows) => rows.forEach((r) => bump(activeOf, r.key, num(r.n)))),
    );
  const open = to > T ? await openRows(ctx, T, to, ["rs", "ra"], [bucket]) : null;
  if (open) {
    // The open day's registrations (rs: registered on d = v) and activity (ra: in month k, registered on v, first open order of it on d).
    for (const r of open.rows) {
      if (r.v < from || r.v > to || r.d > to) continue;
      const cohort = r.v.slice(0, 7);
      if (r.kind === "rs") bump(sizeOf, cohort, r.n);
      else {
        const k = (Number(r.k.slice(0, 4)) - Number(r.v.slice(0, 4))) * 12 + Number(r.k.slice(5, 7)) - Number(r.v.slice(5, 7));
        if (k >= 0 && k < RETENTION_MONTHS) bump(activeOf, `${cohort}:${k}`, r.n);
      }
    }
  } else if (to > T) {
    // Members registered after T, and members with an order after T: their cohort sizes and the
    // activity the aggregates do not hold (a member registered by T counts in month M here only if
    // they have no order of M on or before T, else the aggregates counted them already; one
    // registered after T counts for every month with an order).
    const tz = ctx.timeZone;
    const regSince = startOfBusinessDate(T, tz).toISOString();
    const tMonth = `${T.slice(0, 7)}-01`;
    const tierCond = bucket === STAR ? sql`` : sql`and ${tierAtRegistration(ctx.merchantId, sql`c.member_id`)} = ${bucket}`;
    queries.push(
      queryRows<{ cohort: string; k: number | null; n: number }>(
        db,
        sql`with uo as (
              select o.member_id, o.business_date as d from orders o where o.merchant_id = ${ctx.merchantId} and o.member_id is not null
                and o.business_date between ${addDays(T, 1)}::date and ${to}::date
            ),
            cand as (
              select member_id from uo
              union
              select mm.member_id from members mm where mm.merchant_id = ${ctx.merchantId} and mm.registered_at >= ${regSince}::timestamptz
                and (mm.registered_at at time zone ${tz})::date > ${T}::date
            ),
            cm as (
              select c.member_id, c.r from (
                select mm.member_id, (mm.registered_at at time zone ${tz})::date as r
                from cand cross join lateral (select m2.member_id, m2.registered_at from members m2 where m2.merchant_id = ${ctx.merchantId} and m2.member_id = cand.member_id) mm
              ) c
              where c.r between ${from}::date and ${to}::date ${tierCond}
            ),
            pu as (select distinct uo.member_id, date_trunc('month', uo.d)::date as mth from uo),
            -- Whether the member has an order in T's month on or before T (one index probe each).
            tm as (
              select cm.member_id, cm.r, exists (
                select 1 from orders o where o.merchant_id = ${ctx.merchantId} and o.member_id = cm.member_id
                  and o.paid_at >= ${startOfBusinessDate(tMonth, tz).toISOString()}::timestamptz
                  and o.paid_at < ${startOfBusinessDate(addDays(T, 1), tz).toISOString()}::timestamptz
                  and o.business_date between ${tMonth}::date and ${T}::date
              ) as in_t_month
              from cm
            ),
            act as (
              select tm.r, tm.member_id, pu.mth from tm join pu on pu.member_id = tm.member_id
              where tm.r > ${T}::date or not (pu.mth = ${tMonth}::date and tm.in_t_month)
              union
              select tm.r, tm.member_id, ${tMonth}::date from tm where tm.r > ${T}::date and tm.in_t_month
            )
            select to_char(cm.r, 'YYYY-MM') as cohort, null::int as k, count(*)::int as n from cm where cm.r > ${T}::date group by 1
            union all
            select to_char(a.r, 'YYYY-MM'),
                   ((extract(year from a.mth) - extract(year from a.r)) * 12 + extract(month from a.mth) - extract(month from a.r))::int,
                   count(*)::int
            from act a
            where a.mth >= date_trunc('month', a.r) and a.mth < date_trunc('month', a.r) + interval '${sql.raw(String(RETENTION_MONTHS))} months'
            group by 1, 2`,
      ).then((rows) =>
        rows.forEach((r) => (r.k === null ? bump(sizeOf, r.cohort, num(r.n)) : bump(activeOf, `${r.cohort}:${num(r.k)}`, num(r.n)))),
      ),
    );
  }
  await Promise.all(queries);
  return assembleRetention(from, to, sizeOf, activeOf);
};

/** The five range-distinct metrics answered from the aggregates (raw until they exist). */
export const fastDistinctMetrics: Partial<Record<MetricName, Metric>> = {
  repurchase: fastRepurchase,
  arpu: fastArpu,
  "tier-changes": fastTierChanges,
  "rights-usage": fastRightsUsage,
  retention: fastRetention,
};
