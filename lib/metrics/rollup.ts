import { eq, sql, type SQL } from "drizzle-orm";
import { writeAll } from "@/lib/engine/sql-json";
import { queryRows, type Db } from "@/db/client";
import { metricDaily, metricRollupState } from "@/db/schema";
import { currentProgram, listVersions, loadProgramVersion } from "@/lib/program/store";
import { addDays, businessDate, startOfBusinessDate } from "@/lib/util/dates";
import { num } from "./common";
import { rfmWindowStart, type Rfm } from "./rfm";

export interface RollupCoverage {
  firstDate: string;
  throughDate: string;
}

export async function rollupCoverage(db: Db, merchantId: string): Promise<RollupCoverage | null> {
  const [row] = await db.select().from(metricRollupState).where(eq(metricRollupState.merchantId, merchantId));
  return row ? { firstDate: row.firstDate, throughDate: row.throughDate } : null;
}

/** The first business date holding any data the metrics read (null: none yet): where a first build of either kind of aggregate starts. */
export async function earliestDataDate(db: Db, merchantId: string, timeZone: string): Promise<string | null> {
  const [row] = await queryRows<{ d: string | null }>(
    db,
    sql`select least(
          (select min(business_date) from orders where merchant_id = ${merchantId}),
          (select min(business_date) from refunds where merchant_id = ${merchantId}),
          (select min(business_date) from points_ledger where merchant_id = ${merchantId}),
          (select min(business_date) from tier_history where merchant_id = ${merchantId}),
          (select min(issued_date) from right_instances where merchant_id = ${merchantId}),
          (select min(redeemed_date) from right_instances where merchant_id = ${merchantId}),
          (select (min(registered_at) at time zone ${timeZone})::date from members where merchant_id = ${merchantId})
        )::text as d`,
  );
  return row?.d ?? null;
}

/** How many days up to the end of a refresh get an RFM snapshot every day (see refreshDailyAggregates). */
export const RFM_RECENT_DAYS = 62;

/** A forward refresh of at most this many days starts from the last covered day's rows; a longer one rebuilds the running sums. */
export const MAX_FORWARD_DAYS = 31;

const dayCount = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000) + 1;

export interface RefreshOptions {
  /** Days up to the refreshed range's end that get a daily RFM snapshot (default RFM_RECENT_DAYS). */
  rfmRecentDays?: number;
  /** Told how long each phase of the rebuild took (the benchmark prints it). */
  onPhase?: (phase: string, ms: number) => void;
}

/**
 * Brings metric_daily up to date for business dates `fromDate`..`toDate` (default: `fromDate`),
 * keeping the covered days contiguous: it recomputes from the earlier of `fromDate` and the day
 * after the last covered one, through the later of `toDate` and the last covered one (on a first
 * run, from the merchant's earliest data).
 *
 * Set-based: a handful of statements over the whole range at once, each day's row equal (by test,
 * tests/integration/metrics-fast.test.ts) to the raw metric functions with granularity "day", for
 * all members (tier '') and for each tier (the filter's "tier held at the time"):
 * - flows (net spend of members and guests, rights cost, points issued / redeemed / expired)
 *   grouped by business date, per tier by the tier held at the flow's time (tier_at_order, or
 *   tier_history intervals for points rows and redeemed rights);
 * - states at each day's end as running sums over the days of +/− events: points outstanding
 *   (deltas; per tier, a member's balance moves with them between tiers), members per tier (+1 at
 *   the first day of a tier_history interval, −1 the day after it ends), lifecycle (each member's
 *   stage intervals: new from registration for newDays, then after each order day active, dormant,
 *   lost, with the day counts of the program version in force on each day);
 * - RFM (quintiles over the trailing 12 months of every member: a sort of all buyers per day) only
 *   on the month ends, on the last `rfmRecentDays` days (62) of the range and on the days that had a
 *   snapshot before; other days keep rfm null and the fast path asks the raw function for them. The
 *   period job, calling this for each day it closes, thus snapshots every day from then on.
 *
 * Routine: the period job calls it at the end of each day it closes
 * (`await refreshDailyAggregates(tx, merchantId, date)` in lib/engine/period.ts runDay); after a
 * bulk load or a backdated correction, call it with the earliest business date touched
 * (`npm run cli -- metrics rollup --merchant … [--from …]`).
 */
export async function refreshDailyAggregates(
  db: Db,
  merchantId: string,
  fromDate: string,
  toDate: string = fromDate,
  options: RefreshOptions = {},
): Promise<RollupCoverage> {
  const state = await rollupCoverage(db, merchantId);
  let start = fromDate;
  let end = toDate < fromDate ? fromDate : toDate;
  if (state) {
    const next = addDays(state.throughDate, 1);
    if (next < start) start = next;
    if (state.throughDate > end) end = state.throughDate;
  } else {
    const earliest = await earliestDataDate(db, merchantId, (await currentProgram(db, merchantId)).timeZone);
    if (earliest !== null && earliest < start) start = earliest;
  }
  const recentDays = options.rfmRecentDays ?? RFM_RECENT_DAYS;
  // Going forward from a covered day (the period job's case): the states start from that day's rows.
  const forward = state !== null && start === addDays(state.throughDate, 1) && start > state.firstDate && dayCount(start, end) <= MAX_FORWARD_DAYS;
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '256MB'`);
    await rebuildDays(tx, merchantId, start, end, recentDays, options.onPhase ?? (() => {}), forward);
  });
  const coverage = { firstDate: state && state.firstDate < start ? state.firstDate : start, throughDate: end };
  await db
    .insert(metricRollupState)
    .values({ merchantId, ...coverage })
    .onConflictDoUpdate({ target: metricRollupState.merchantId, set: { ...coverage, refreshedAt: sql`now()` } });
  return coverage;
}

/** Consecutive days with the same lifecycle day counts (program version in force at each day's end). */
export async function lifecycleSegments(db: Db, merchantId: string, start: string, end: string) {
  const program = await currentProgram(db, merchantId);
  const versions = (await listVersions(db, merchantId)).map((v) => ({ version: v.version, from: businessDate(v.effectiveFrom, program.timeZone) }));
  const segments: { a: string; b: string; n: number; d: number; l: number }[] = [];
  for (let day = start; day <= end; day = addDays(day, 1)) {
    let version = versions[0]?.version ?? program.version;
    for (const v of versions) if (v.from <= day) version = v.version;
    const { newDays: n, dormantDays: d, lostDays: l } = (await loadProgramVersion(db, merchantId, version)).lifecycle;
    const last = segments.at(-1);
    if (last && last.n === n && last.d === d && last.l === l) last.b = day;
    else segments.push({ a: day, b: day, n, d, l });
  }
  return { program, segments };
}

/**
 * The end-of-day states (points outstanding, lifecycle, members per tier) of `day`, a day after the
 * covered ones, by bucket ('' or a tier): the covered last day's rows plus the changes of each day
 * since (forwardStates), or null when that route does not apply (then ask the raw functions).
 */
export async function statesAfter(db: Db, merchantId: string, through: string, day: string) {
  const { program, segments } = await lifecycleSegments(db, merchantId, through, day);
  if (segments.length !== 1 || !(await singleTimeZone(db, merchantId))) return null;
  const g = segments[0];
  const rows = await forwardStates(db, merchantId, addDays(through, 1), day, program.timeZone, { n: g.n, d: g.d, l: g.l });
  if (!rows) return null;
  const at = <T extends { d: string }>(xs: T[]) => xs.filter((x) => x.d === day);
  return { outstanding: at(rows.outstanding), life: at(rows.life), tierCounts: at(rows.tierCounts) };
}

/** `(d, tier, k, v)`: the running sum over the days S..E of the events `(d, tier, k, x)` (earlier ones count at S). */
function runningSums(events: SQL, S: SQL, E: SQL): SQL {
  return sql`
    with ev as (
      select greatest(e.d, ${S}) as d, e.tier, e.k, sum(e.x) as x from (${events}) e
      where e.d <= ${E} group by 1, 2, 3
    ),
    keys as (select distinct tier, k from ev),
    grid as (select g::date as d from generate_series(${S}::timestamp, ${E}::timestamp, interval '1 day') g)
    select grid.d, keys.tier, keys.k,
           sum(coalesce(ev.x, 0)) over (partition by keys.tier, keys.k order by grid.d)::bigint as v
    from grid cross join keys left join ev on ev.d = grid.d and ev.tier = keys.tier and ev.k = keys.k`;
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export async function singleTimeZone(db: Db, merchantId: string): Promise<boolean> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(distinct time_zone)::int as n from program_versions where merchant_id = ${merchantId}`);
  return num(row?.n) === 1;
}

type StateRows = {
  outstanding: { d: string; tier: string; v: number }[];
  tierCounts: { d: string; tier: string; k: string; v: number }[];
  life: { d: string; tier: string; k: string; v: number }[];
};

/**
 * The end-of-day states of `start`..`end` from the rows of the day before `start` (null when it has
 * none): each day adds its changes. Only members whose state can change on day d are looked at —
 * those registered on d or d − newDays, with an order on d, d − dormantDays or d − lostDays (their
 * last order before d is then that day: the stage moves on), a tier row on d, or a points row on d —
 * each with a few index probes (last order before d, tier at the end of d − 1 and of d, the balance
 * when the tier changes), so a day costs its own data, not the history. Needs one time zone (the
 * last order by instant is the last by date) and the same lifecycle day counts from d − 1 to `end`.
 */
export async function forwardStates(tx: Db, M: string, start: string, end: string, tz: string, g: { n: number; d: number; l: number }): Promise<StateRows | null> {
  const base = await queryRows<Record<string, unknown>>(
    tx,
    sql`select tier, points_outstanding, tiers, lifecycle_new, lifecycle_active, lifecycle_dormant, lifecycle_lost
        from metric_daily where merchant_id = ${M} and business_date = ${addDays(start, -1)}::date`,
  );
  if (!base.some((r) => r.tier === "")) return null;
  const points = new Map<string, number>();
  const tiers = new Map<string, Map<string, number>>();
  const life = new Map<string, Map<string, number>>();
  for (const r of base) {
    const t = String(r.tier);
    points.set(t, num(r.points_outstanding));
    const counts = typeof r.tiers === "string" ? (JSON.parse(r.tiers) as Record<string, number>) : (r.tiers as Record<string, number>);
    tiers.set(t, new Map(Object.entries(counts ?? {}).map(([k, v]) => [k, num(v)])));
    life.set(
      t,
      new Map([
        ["new", num(r.lifecycle_new)],
        ["active", num(r.lifecycle_active)],
        ["dormant", num(r.lifecycle_dormant)],
        ["lost", num(r.lifecycle_lost)],
      ]),
    );
  }
  const bump = (m: Map<string, Map<string, number>>, t: string, k: string, v: number) => {
    let x = m.get(t);
    if (!x) m.set(t, (x = new Map()));
    x.set(k, (x.get(k) ?? 0) + v);
  };
  const out: StateRows = { outstanding: [], tierCounts: [], life: [] };
  for (let d = start; d <= end; d = addDays(d, 1)) {
    const D = sql`${d}::date`;
    const stage = (day: SQL, last: SQL) => sql`case when c.r is null or c.r > ${day} then null when c.r > ${day} - ${g.n}::int then 'new'
      when ${last} is null or ${last} <= ${day} - ${g.l}::int then 'lost' when ${last} <= ${day} - ${g.d}::int then 'dormant' else 'active' end`;
    const changes = await queryRows<{ kind: string; tier: string; k: string; v: number }>(
      tx,
      sql`with pd as (
            select pl.member_id, sum(pl.delta) as x from points_ledger pl where pl.merchant_id = ${M} and pl.business_date = ${D} group by pl.member_id
          ),
          cand as (
            select o.member_id from orders o where o.merchant_id = ${M} and o.member_id is not null
              and o.business_date in (${D}, ${D} - ${g.d}::int, ${D} - ${g.l}::int)
            union select th.member_id from tier_history th where th.merchant_id = ${M} and th.business_date = ${D}
            union select pd.member_id from pd
            union select mm.member_id from members mm where mm.merchant_id = ${M} and (mm.registered_at at time zone ${tz})::date in (${D}, ${D} - ${g.n}::int)
          ),
          c0 as (
            select cand.member_id, reg.r, coalesce(pd.x, 0) as x,
              (select o.business_date from orders o where o.merchant_id = ${M} and o.member_id = cand.member_id and o.business_date < ${D}
               order by o.paid_at desc limit 1) as l_prev,
              exists (select 1 from orders o where o.merchant_id = ${M} and o.member_id = cand.member_id and o.business_date = ${D}
                        and o.paid_at >= ${startOfBusinessDate(d, tz).toISOString()}::timestamptz
                        and o.paid_at < ${startOfBusinessDate(addDays(d, 1), tz).toISOString()}::timestamptz) as has_d,
              (select th.to_tier from tier_history th where th.merchant_id = ${M} and th.member_id = cand.member_id and th.business_date < ${D}
               order by th.business_date desc, th.changed_at desc, th.id desc limit 1) as t_prev,
              (select th.to_tier from tier_history th where th.merchant_id = ${M} and th.member_id = cand.member_id and th.business_date <= ${D}
               order by th.business_date desc, th.changed_at desc, th.id desc limit 1) as t_cur
            from cand
            left join pd on pd.member_id = cand.member_id
            left join lateral (select (mm.registered_at at time zone ${tz})::date as r from members mm
                               where mm.merchant_id = ${M} and mm.member_id = cand.member_id) reg on true
          ),
          c as (
            select c.*,
              ${stage(sql`(${D} - 1)`, sql`c.l_prev`)} as st_prev,
              ${stage(D, sql`(case when c.has_d then ${D} else c.l_prev end)`)} as st_cur,
              case when c.t_prev is distinct from c.t_cur then
                (select coalesce(sum(pl.delta), 0) from points_ledger pl where pl.merchant_id = ${M} and pl.member_id = c.member_id and pl.business_date < ${D})
              end as bal_prev
            from c0 as c
          )
          select 'points' as kind, '' as tier, '' as k, coalesce(sum(pd.x), 0)::bigint as v from pd
          union all
          select 'points', b.tier, '', sum(b.v)::bigint from c
          cross join lateral (values (c.t_cur, case when c.t_prev is not distinct from c.t_cur then c.x else c.bal_prev + c.x end),
                                     (case when c.t_prev is distinct from c.t_cur then c.t_prev end, -c.bal_prev)) b(tier, v)
          where b.tier is not null group by b.tier
          union all
          select 'tiers', b.tier, b.k, sum(b.v)::bigint from c
          cross join lateral (values ('', c.t_cur, 1), (c.t_cur, c.t_cur, 1), ('', c.t_prev, -1), (c.t_prev, c.t_prev, -1)) b(tier, k, v)
          where c.t_prev is distinct from c.t_cur and b.tier is not null and b.k is not null group by b.tier, b.k
          union all
          select 'life', b.tier, b.k, sum(b.v)::bigint from c
          cross join lateral (values ('', c.st_cur, 1), (c.t_cur, c.st_cur, 1), ('', c.st_prev, -1), (c.t_prev, c.st_prev, -1)) b(tier, k, v)
          where b.tier is not null and b.k is not null group by b.tier, b.k`,
    );
    for (const ch of changes) {
      const v = num(ch.v);
      if (ch.kind === "points") points.set(ch.tier, (points.get(ch.tier) ?? 0) + v);
      else bump(ch.kind === "tiers" ? tiers : life, ch.tier, ch.k, v);
    }
    for (const [tier, v] of points) out.outstanding.push({ d, tier, v });
    for (const [tier, m] of tiers) for (const [k, v] of m) if (v !== 0) out.tierCounts.push({ d, tier, k, v });
    for (const [tier, m] of life) for (const [k, v] of m) out.life.push({ d, tier, k, v });
  }
  return out;
}

async function rebuildDays(
  tx: Tx,
  merchantId: string,
  start: string,
  end: string,
  recentDays: number,
  onPhase: (phase: string, ms: number) => void,
  forwardAsked: boolean,
) {
  let t0 = performance.now();
  const phase = (name: string) => {
    const t = performance.now();
    onPhase(name, t - t0);
    t0 = t;
  };
  const M = merchantId;
  const S = sql`${start}::date`;
  const E = sql`${end}::date`;
  // Forward from the previous day's rows needs the same lifecycle day counts from that day on (else
  // every member's stage may change) and one time zone ever (date order = instant order below).
  const { program, segments } = await lifecycleSegments(tx, merchantId, forwardAsked ? addDays(start, -1) : start, end);
  const forward = forwardAsked && segments.length === 1 && (await singleTimeZone(tx, merchantId));
  const tz = program.timeZone;
  const [{ tiers: historyTiers }] = await queryRows<{ tiers: string[] | null }>(
    tx,
    sql`select array_agg(distinct to_tier) as tiers from tier_history where merchant_id = ${M}`,
  );
  const tiers = [...new Set([...program.tiers.map((t) => t.code), ...(historyTiers ?? [])])];
  const hadRfm = await queryRows<{ d: string }>(
    tx,
    sql`select business_date::text as d from metric_daily
        where merchant_id = ${M} and tier = '' and business_date between ${S} and ${E} and rfm is not null`,
  );

  // Tier intervals per member. By business date (the tier at a day's end, as tier-distribution
  // reads it): the member's last row of each date holds from that date to the day before the next.
  // By instant (the tier held just before an instant, lib/metrics/held-tier.ts): a row holds on
  // (changed_at, next changed_at], the first one from the beginning of time.
  // (Dropped first: a caller's transaction may refresh twice.)
  await tx.execute(sql`drop table if exists rollup_tier_days, rollup_tier_instants, rollup_rfm_ms`);
  await tx.execute(tierDaysSql(M, end));
  await tx.execute(sql`
    create temp table rollup_tier_instants on commit drop as
    select member_id, to_tier as tier,
           case when row_number() over w = 1 then '-infinity'::timestamptz else changed_at end as lo,
           lead(changed_at) over w as hi
    from tier_history where merchant_id = ${M}
    window w as (partition by member_id order by changed_at, id)`);
  await tx.execute(sql`analyze rollup_tier_days`);
  await tx.execute(sql`analyze rollup_tier_instants`);
  phase("tier intervals");

  // Flows by (day, tier): '' (grouping) = everyone; a tier = the flows in it.
  const flows = await queryRows<Record<string, unknown>>(
    tx,
    sql`select f.d::text as d, case when grouping(f.tier) = 1 then '' else f.tier end as tier,
          sum(f.ms)::bigint as member_spend, sum(f.gs)::bigint as guest_spend, sum(f.rc)::bigint as rights_cost,
          sum(f.pi)::bigint as points_issued, sum(f.pr)::bigint as points_redeemed, sum(f.pe)::bigint as points_expired
        from (
          select o.business_date as d, o.tier_at_order as tier,
                 case when o.member_id is not null then o.amount else 0 end as ms, case when o.member_id is null then o.amount else 0 end as gs,
                 case when o.member_id is not null then o.member_discount else 0 end as rc, 0 as pi, 0 as pr, 0 as pe
          from orders o where o.merchant_id = ${M} and o.business_date between ${S} and ${E}
          union all
          select r.business_date, ro.tier_at_order,
                 case when r.member_id is not null then -r.amount else 0 end, case when r.member_id is null then -r.amount else 0 end, 0, 0, 0, 0
          from refunds r left join orders ro on ro.merchant_id = r.merchant_id and ro.order_id = r.order_id
          where r.merchant_id = ${M} and r.business_date between ${S} and ${E}
          union all
          select ri.redeemed_date, t.tier, 0, 0, ri.unit_cost, 0, 0, 0
          from right_instances ri
          left join rollup_tier_instants t on t.member_id = ri.member_id and ri.redeemed_at > t.lo and (t.hi is null or ri.redeemed_at <= t.hi)
          where ri.merchant_id = ${M} and ri.redeemed_date between ${S} and ${E}
          union all
          select pl.business_date, t.tier, 0, 0, 0,
                 case when pl.kind in ('earn', 'bonus', 'adjust') and pl.delta > 0 then pl.delta else 0 end,
                 case when pl.kind = 'spend' then -pl.delta else 0 end,
                 case when pl.kind = 'expire' then -pl.delta else 0 end
          from points_ledger pl
          left join rollup_tier_instants t on t.member_id = pl.member_id and pl.occurred_at > t.lo and (t.hi is null or pl.occurred_at <= t.hi)
          where pl.merchant_id = ${M} and pl.business_date between ${S} and ${E}
        ) f
        group by grouping sets ((f.d), (f.d, f.tier))
        having grouping(f.tier) = 1 or f.tier is not null`,
  );
  phase("flows");

  const states = forward ? await forwardStates(tx, merchantId, start, end, tz, segments[0]) : null;
  const { outstanding, tierCounts, life } = states ?? (await fullStates());
  if (states) phase(`states from the previous day's rows (${dayCount(start, end)} day(s))`);

  async function fullStates() {
    // Points outstanding: everyone's deltas; per tier, a member's deltas count in the tier they are in
    // at the day's end, and their balance moves with them when they change tiers.
    const outstanding = await queryRows<{ d: string; tier: string; v: number }>(
      tx,
      sql`select d::text as d, tier, v from (${runningSums(
        sql`select pl.business_date as d, '' as tier, '' as k, sum(pl.delta) as x from points_ledger pl
            where pl.merchant_id = ${M} and pl.business_date <= ${E} group by pl.business_date
            union all
            select v.d, t.tier, '', v.x
            from (select pl.member_id, pl.business_date as d, sum(pl.delta) as x from points_ledger pl
                  where pl.merchant_id = ${M} and pl.business_date <= ${E} group by 1, 2) b
            join rollup_tier_days t on t.member_id = b.member_id and (t.nxt is null or b.d < t.nxt)
            cross join lateral (values (greatest(b.d, t.s), b.x), (t.nxt, -b.x)) v(d, x)
            where v.d is not null`,
        S,
        E,
      )}) r`,
    );
    phase("points outstanding");
  
    // Members per tier at each day's end ('' row: every tier; a tier's row: that tier alone).
    const tierCounts = await queryRows<{ d: string; tier: string; k: string; v: number }>(
      tx,
      sql`select d::text as d, tier, k, v from (${runningSums(
        sql`select v.d, w.tier, t.tier as k, v.x
            from rollup_tier_days t
            cross join lateral (values (t.s, 1), (t.nxt, -1)) v(d, x)
            cross join lateral (values (''), (t.tier)) w(tier)
            where v.d is not null`,
        S,
        E,
      )}) r where v <> 0`,
    );
    phase("tier distribution");
  
    // Lifecycle: each member's stage intervals (days), clipped to the segments of constant day counts.
    const seg = sql`(values ${sql.join(
      segments.map((g) => sql`(${g.a}::date, ${g.b}::date, ${g.n}::int, ${g.d}::int, ${g.l}::int)`),
      sql`, `,
    )}) as g(a, b, n, dd, l)`;
    const life = await queryRows<{ d: string; tier: string; k: string; v: number }>(
      tx,
      sql`with mem as (
            select m.member_id, (m.registered_at at time zone ${tz})::date as r from members m
            where m.merchant_id = ${M} and (m.registered_at at time zone ${tz})::date <= ${E}
          ),
          od as (
            select member_id, o, lead(o) over (partition by member_id order by o) as nxt, row_number() over (partition by member_id order by o) as k
            from (select distinct o.member_id, o.business_date as o from orders o
                  where o.merchant_id = ${M} and o.member_id is not null and o.business_date <= ${E}) x
          ),
          pieces as (
            select m.member_id, 'new' as stage, greatest(m.r, g.a) as lo, least(m.r + g.n - 1, g.b) as hi
            from mem m cross join ${seg}
            union all
            select m.member_id, 'lost', greatest(m.r + g.n, g.a), least(coalesce(f.o - 1, ${E}), g.b)
            from mem m cross join ${seg} left join od f on f.member_id = m.member_id and f.k = 1
            union all
            select m.member_id, st.stage, greatest(od.o + st.x0, m.r + g.n, g.a), least(od.o + st.x1, coalesce(od.nxt - 1, ${E}), g.b)
            from od join mem m on m.member_id = od.member_id cross join ${seg}
            cross join lateral (values ('active', 0, least(g.dd, g.l) - 1), ('dormant', g.dd, g.l - 1), ('lost', g.l, 1000000)) st(stage, x0, x1)
          ),
          live as (select * from pieces where lo <= hi and hi >= ${S}),
          tiered as (
            select '' as tier, stage, lo, hi from live
            union all
            select t.tier, p.stage, greatest(p.lo, t.s), least(p.hi, coalesce(t.nxt - 1, ${E}))
            from live p join rollup_tier_days t on t.member_id = p.member_id and t.s <= p.hi and (t.nxt is null or t.nxt > p.lo)
          )
          select d::text as d, tier, k, v from (${runningSums(
            sql`select v.d, p.tier, p.stage as k, v.x from tiered p cross join lateral (values (p.lo, 1), (p.hi + 1, -1)) v(d, x) where p.lo <= p.hi`,
            S,
            E,
          )}) r`,
    );
    phase("lifecycle");
    return { outstanding, tierCounts, life };
  }

  // RFM snapshots: month ends, the last recentDays days, and the days that had one.
  const rfmDays = new Set(hadRfm.map((r) => r.d));
  for (let day = start; day <= end; day = addDays(day, 1))
    if (addDays(day, 1).endsWith("-01") || day > addDays(end, -recentDays)) rfmDays.add(day);
  const rfmRows = new Map<string, Rfm>();
  const emptyRfm = (): Rfm => ({ members: 0, grid: Array.from({ length: 5 }, () => Array<number>(5).fill(0)), m: Array<number>(5).fill(0) });
  const rfmAt = (key: string) => {
    let x = rfmRows.get(key);
    if (!x) rfmRows.set(key, (x = emptyRfm()));
    return x;
  };
  for (const day of [...rfmDays].sort()) {
    for (const tier of ["", ...tiers]) rfmRows.set(`${day}|${tier}`, emptyRfm());
    if (day === end) continue;
    const rows = await queryRows<{ tier: string; r: number; f: number; m: number; n: number }>(
      tx,
      sql`with ms as (${rfmMeasures(M, day)}),
          scored as (
            select '' as tier,
              1 + 5 * (rank() over (order by last_date) - 1) / count(*) over () as r,
              1 + 5 * (rank() over (order by orders) - 1) / count(*) over () as f,
              1 + 5 * (rank() over (order by spend) - 1) / count(*) over () as m
            from ms
            union all
            select tier,
              1 + 5 * (rank() over (partition by tier order by last_date) - 1) / count(*) over (partition by tier),
              1 + 5 * (rank() over (partition by tier order by orders) - 1) / count(*) over (partition by tier),
              1 + 5 * (rank() over (partition by tier order by spend) - 1) / count(*) over (partition by tier)
            from ms where tier is not null
          )
          select tier, r::int as r, f::int as f, m::int as m, count(*)::int as n from scored group by 1, 2, 3, 4`,
    );
    for (const row of rows) {
      const x = rfmAt(`${day}|${row.tier}`);
      const n = num(row.n);
      x.grid[num(row.r) - 1][num(row.f) - 1] += n;
      x.m[num(row.m) - 1] += n;
      x.members += n;
    }
  }
  // The last day: the open day's RFM base (its measures' histograms), and the snapshot from it (the
  // same scores: 1 + 5·#{strictly less}/n per value, no ranking of every member).
  await tx.execute(sql`create temp table rollup_rfm_ms on commit drop as ${rfmMeasures(M, end)}`);
  await writeRfmBase(tx, M, end);
  if (rfmDays.has(end)) {
    const { grid, spend } = await rfmFromBase(tx, M);
    for (const g of grid) {
      const x = rfmAt(`${end}|${g.bucket === "*" ? "" : g.bucket}`);
      x.grid[num(g.r) - 1][num(g.f) - 1] += num(g.n);
      x.members += num(g.n);
    }
    for (const g of spend) rfmAt(`${end}|${g.bucket === "*" ? "" : g.bucket}`).m[num(g.m) - 1] += num(g.n);
  }
  phase(`rfm (${rfmDays.size} snapshots, the last one with the open day's base)`);

  // Assemble one row per day × ('' and each tier).
  type Row = typeof metricDaily.$inferInsert;
  const rows = new Map<string, Row>();
  for (let day = start; day <= end; day = addDays(day, 1))
    for (const tier of ["", ...tiers])
      rows.set(`${day}|${tier}`, {
        merchantId,
        businessDate: day,
        tier,
        memberSpend: 0,
        guestSpend: 0,
        rightsCost: 0,
        pointsIssued: 0,
        pointsRedeemed: 0,
        pointsExpired: 0,
        pointsOutstanding: 0,
        tiers: {},
        lifecycleNew: 0,
        lifecycleActive: 0,
        lifecycleDormant: 0,
        lifecycleLost: 0,
        rfm: rfmRows.get(`${day}|${tier}`) ?? null,
      });
  const at = (d: string, tier: string) => rows.get(`${d}|${tier}`);
  const guest = new Map<string, number>();
  for (const f of flows) {
    const r = at(String(f.d), String(f.tier));
    if (!r) continue;
    r.memberSpend = num(f.member_spend);
    r.rightsCost = num(f.rights_cost);
    r.pointsIssued = num(f.points_issued);
    r.pointsRedeemed = num(f.points_redeemed);
    r.pointsExpired = num(f.points_expired);
    if (f.tier === "") guest.set(String(f.d), num(f.guest_spend));
  }
  for (const r of rows.values()) r.guestSpend = guest.get(r.businessDate) ?? 0;
  for (const o of outstanding) {
    const r = at(o.d, o.tier);
    if (r) r.pointsOutstanding = num(o.v);
  }
  for (const t of tierCounts) {
    const r = at(t.d, t.tier);
    if (r) r.tiers = { ...r.tiers, [t.k]: num(t.v) };
  }
  for (const l of life) {
    const r = at(l.d, l.tier);
    if (!r) continue;
    const v = num(l.v);
    if (l.k === "new") r.lifecycleNew = v;
    else if (l.k === "active") r.lifecycleActive = v;
    else if (l.k === "dormant") r.lifecycleDormant = v;
    else r.lifecycleLost = v;
  }

  await tx.execute(sql`delete from metric_daily where merchant_id = ${M} and business_date between ${S} and ${E}`);
  const all = [...rows.values()];
  for (let i = 0; i < all.length; i += 500) await tx.insert(metricDaily).values(all.slice(i, i + 500));
  phase(`write (${all.length} rows)`);
}

/** The temp table rollup_tier_days: each member's tier by business date (the last row of a date holds until the next one's date). */
function tierDaysSql(M: string, end: string): SQL {
  return sql`
    create temp table rollup_tier_days on commit drop as
    select member_id, to_tier as tier, business_date as s, lead(business_date) over (partition by member_id order by business_date) as nxt
    from (select distinct on (member_id, business_date) member_id, business_date, to_tier from tier_history
          where merchant_id = ${M} and business_date <= ${end}::date
          order by member_id, business_date, changed_at desc, id desc) x`;
}

/** Each scored member's RFM measures over the trailing 12 months ending `day` and tier at its end (needs rollup_tier_days). */
function rfmMeasures(M: string, day: string): SQL {
  return sql`
    with buyers as (
      select o.member_id, max(o.business_date) as last_date, count(*) as orders, sum(o.amount) as paid from orders o
      where o.merchant_id = ${M} and o.member_id is not null and o.business_date between ${rfmWindowStart(day)}::date and ${day}::date
      group by o.member_id
    ),
    refunded as (
      select r.member_id, sum(r.amount) as amount from refunds r
      where r.merchant_id = ${M} and r.member_id is not null and r.business_date between ${rfmWindowStart(day)}::date and ${day}::date
      group by r.member_id
    )
    select b.member_id, b.last_date, b.orders, b.paid - coalesce(rf.amount, 0) as spend, t.tier
    from buyers b left join refunded rf on rf.member_id = b.member_id
    left join rollup_tier_days t on t.member_id = b.member_id and t.s <= ${day}::date and (t.nxt is null or t.nxt > ${day}::date)`;
}

/**
 * The open day's RFM base for `day` (the rollups' last day T), from the temp table rollup_rfm_ms
 * (rfmMeasures of that day): per bucket ('*', else the tier at the end of T) the joint (last date,
 * orders) histogram and the spend histogram with the count below each value (db/schema/metric-aggregates.ts).
 */
async function writeRfmBase(tx: Db, M: string, day: string) {
  await tx.execute(sql`delete from metric_rfm_base_rf where merchant_id = ${M}`);
  await tx.execute(sql`delete from metric_rfm_base_m where merchant_id = ${M}`);
  await tx.execute(sql`
    insert into metric_rfm_base_rf (merchant_id, bucket, last_date, orders, n)
    select ${M}, b.bucket, ms.last_date, ms.orders, count(*) from rollup_rfm_ms ms
    cross join lateral (values ('*'::text), (ms.tier)) b(bucket) where b.bucket is not null group by 2, 3, 4`);
  await tx.execute(sql`
    insert into metric_rfm_base_m (merchant_id, bucket, spend, n, below)
    select ${M}, x.bucket, x.spend, x.n, sum(x.n) over (partition by x.bucket order by x.spend) - x.n from (
      select b.bucket, ms.spend, count(*) as n from rollup_rfm_ms ms
      cross join lateral (values ('*'::text), (ms.tier)) b(bucket) where b.bucket is not null group by 1, 2
    ) x`);
  await tx.execute(sql`
    insert into metric_rfm_base_state (merchant_id, through_date, written_at) values (${M}, ${day}::date, clock_timestamp())
    on conflict (merchant_id) do update set through_date = excluded.through_date, written_at = excluded.written_at`);
}

/** The RFM answer per bucket from the base (writeRfmBase): grid cells (r, f) and monetary scores, with their members. */
async function rfmFromBase(tx: Db, M: string) {
  const grid = await queryRows<{ bucket: string; r: number; f: number; n: number }>(
    tx,
    sql`with b as (select bucket, last_date, orders, n from metric_rfm_base_rf where merchant_id = ${M}),
        rd as (select bucket, last_date, sum(n) as n from b group by 1, 2),
        rl as (select bucket, last_date, sum(n) over (partition by bucket order by last_date) - n as below, sum(n) over (partition by bucket) as tot from rd),
        fd as (select bucket, orders, sum(n) as n from b group by 1, 2),
        fl as (select bucket, orders, sum(n) over (partition by bucket order by orders) - n as below, sum(n) over (partition by bucket) as tot from fd)
        select b.bucket, (1 + 5 * rl.below::bigint / rl.tot::bigint)::int as r, (1 + 5 * fl.below::bigint / fl.tot::bigint)::int as f, sum(b.n)::int as n
        from b join rl on rl.bucket = b.bucket and rl.last_date = b.last_date join fl on fl.bucket = b.bucket and fl.orders = b.orders
        group by 1, 2, 3`,
  );
  const spend = await queryRows<{ bucket: string; m: number; n: number }>(
    tx,
    sql`select bucket, (1 + 5 * below / tot::bigint)::int as m, sum(n)::int as n
        from (select bucket, below::bigint as below, n, sum(n) over (partition by bucket) as tot from metric_rfm_base_m where merchant_id = ${M}) x
        group by 1, 2`,
  );
  return { grid, spend };
}

/**
 * Writes the open day's RFM base for the rollups' last day alone (refreshDailyAggregates writes it
 * with every refresh; this is for rollups built before it existed, and for the benchmark to time it).
 */
export async function refreshRfmBase(db: Db, merchantId: string) {
  const cov = await rollupCoverage(db, merchantId);
  if (!cov) return null;
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '256MB'`);
    await tx.execute(sql`drop table if exists rollup_tier_days, rollup_rfm_ms`);
    await tx.execute(tierDaysSql(merchantId, cov.throughDate));
    await tx.execute(sql`create temp table rollup_rfm_ms on commit drop as ${rfmMeasures(merchantId, cov.throughDate)}`);
    await writeRfmBase(tx, merchantId, cov.throughDate);
  });
  return cov.throughDate;
}

/**
 * Marks the rollups from `fromDate` on as stale (the fast metrics then read those days from the raw
 * tables until the next refresh). Called by the engine when it writes rows dated on or before the
 * covered days: a backdated event, or a period-job day.
 */
export async function invalidateRollupsFrom(db: Db, merchantId: string, fromDate: string) {
  await writeAll(db, invalidateRollupsSql(merchantId, fromDate));
}

/**
 * invalidateRollupsFrom as statements, for the engine to run among a batch's writes
 * (lib/engine/sql-json.ts writeAll): the daily rollups' coverage and the range-distinct
 * aggregates' (lib/metrics/fast-distinct.ts) both end the day before.
 */
export function invalidateRollupsSql(merchantId: string, fromDate: string, keys?: readonly string[]): SQL[] {
  return [...["metric_rollup_state", "metric_distinct_state"].flatMap((t) => [
    sql`delete from ${sql.identifier(t)} where merchant_id = ${merchantId} and first_date >= ${fromDate}::date`,
    sql`update ${sql.identifier(t)} set through_date = ${fromDate}::date - 1
        where merchant_id = ${merchantId} and through_date >= ${fromDate}::date and first_date < ${fromDate}::date`,
  ]), ...(keys?.length ? [openDayLogSql(merchantId, keys)] : [])];
}

/**
 * The batch's change keys (the engine's lock keys: 'm:<member>', 'o:<order>') for the open day
 * (lib/metrics/open-day.ts), logged when the merchant has one: one small insert per batch.
 */
export function openDayLogSql(merchantId: string, keys: readonly string[]): SQL {
  return sql`insert into metric_open_log (merchant_id, keys)
             select ${merchantId}, ${JSON.stringify(keys)}::jsonb where exists (select 1 from metric_open_state where merchant_id = ${merchantId})`;
}
