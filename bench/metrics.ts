/**
 * Metrics benchmark: `npx tsx bench/metrics.ts [--members N] [--orders N] [--runs N] [--raw-runs N] [--tier CODE]
 * [--metrics a,b] [--reuse] [--reuse-rollups] [--load-only] [--open-day] [--no-tier-filter]` (or `npm run bench -- metrics ...`).
 *
 * On local PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres:postgres@127.0.0.1:5432/bench_metrics,
 * created when missing) it bulk-loads one merchant's history with generate_series SQL — members,
 * tier history (upgrades, a few downgrades), orders (10% guests, each member order with its
 * tier_at_order), refunds (2%), points earned / spent / expired, right instances — then builds the
 * daily rollups with the documented routine (`refreshDailyAggregates`, one call over the whole
 * history: a first run starts at the earliest data), checks fast = raw, and prints per metric the
 * p50/p95 time of the domain function the API serves (`fastMetrics`) beside the raw-table reference
 * (`metrics`) for a 12-month range by month, unfiltered and with a tier filter (`--tier`, default
 * gold), and the ratio. Times are in-process server time (the handler's work, no HTTP). The first raw
 * run (the one compared) is timed too; the fast path gets a warm-up. A metric fastMetrics still
 * serves with the raw function is measured once, as raw.
 * `--reuse` keeps the loaded data when the database already holds a merchant of that size (the
 * daily rollups and the range-distinct aggregates are rebuilt unless `--reuse-rollups`, which keeps
 * those that exist); `--load-only` stops after the load. `--open-day` (with `--reuse --reuse-rollups`)
 * writes a realistic day after the history that no aggregate covers (bench/open-day.ts: ~27,000
 * member orders from distinct members, guests, registrations, refunds, upgrades, redemptions),
 * measures the 12 months ending on it, times the period job's extension of the aggregates by that
 * day (`extendAggregates`), and removes the day again (data and aggregates as before). It first writes
 * the RFM base of the rollups' last day when they have none for it (rollups built before it existed:
 * `refreshRfmBase`, timed), as refreshDailyAggregates now does with every refresh.
 */
import { isDeepStrictEqual } from "node:util";
import { sql, type SQL } from "drizzle-orm";
import { openDatabase, queryRows, type Db } from "@/db/client";
import { createMerchant, findMerchantBySlug } from "@/lib/tenancy/merchants";
import { metrics, metricNames, type Metric, type MetricParams } from "@/lib/metrics";
import { fastMetrics, lastRfmRoute } from "@/lib/metrics/fast";
import { refreshDailyAggregates, refreshRfmBase } from "@/lib/metrics/rollup";
import { rfmBaseDate } from "@/lib/metrics/rfm-open";
import { refreshDistinctAggregates } from "@/lib/metrics/fast-distinct";
import { addDays, addMonths } from "@/lib/util/dates";
import { ensureDatabase, flag, log, timed } from "./common";
import { arriveOrders, insertOpenDay, OPEN_DAY_SHAPE, removeOpenDay } from "./open-day";
import { refreshOpenDay } from "@/lib/metrics/open-day";

const MEMBERS = flag("members", 1_000_000);
const ORDERS = flag("orders", 10_000_000);
const RUNS = flag("runs", 20);
const RAW_RUNS = flag("raw-runs", 3);
const REUSE = process.argv.includes("--reuse");
const REUSE_ROLLUPS = process.argv.includes("--reuse-rollups");
const LOAD_ONLY = process.argv.includes("--load-only");
/** `--open-day`: the 12 months ending on a day after END that no aggregate covers yet (bench/open-day.ts), then one period-job day. */
const OPEN_DAY = process.argv.includes("--open-day");
function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const TIER = option("tier") ?? "gold";
/** `--no-tier-filter`: only the unfiltered pass (the raw references take minutes each at 1M). */
const TIER_PASSES = process.argv.includes("--no-tier-filter") ? [null] : [null, TIER];
/** `--metrics a,b,c`: only these (default: every metric of metricNames). */
const ONLY = option("metrics")?.split(",");
const URL_ = process.env.BENCH_DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/bench_metrics";

/** The history: 15 months ending END; the benchmark range is the last 12 months. */
const END = "2026-06-30";
const START = addMonths(addDays(END, 1), -15);
const OPEN = addDays(END, 1);
const RANGE = OPEN_DAY
  ? { from: addMonths(addDays(OPEN, 1), -12), to: OPEN, granularity: "month" as const }
  : { from: addMonths(addDays(END, 1), -12), to: END, granularity: "month" as const };

/**
 * Member j's attributes are functions of j (so orders can be generated without joining members):
 * registration spread over the history (earlier ones more likely, a growing program), tier by j % 100
 * (80% basic, 13% silver, 6% gold, 1% diamond), upgrade from basic 0–120 days after joining; 3% of
 * the upgraded fall back to basic 60 days after their upgrade (if within the history).
 */
function memberSql(j: SQL, days: number) {
  const tz = "Asia/Shanghai";
  const reg = sql`(${START}::date::timestamp at time zone ${tz} + (sqrt(((${j}) * 0.6180339887498949) - floor((${j}) * 0.6180339887498949)) * ${days} * 86400) * interval '1 second')`;
  const tier = sql`(case when (${j}) % 100 < 80 then 'basic' when (${j}) % 100 < 93 then 'silver' when (${j}) % 100 < 99 then 'gold' else 'diamond' end)`;
  const upAt = sql`(${reg} + (((${j})::bigint * 7919) % 10368000) * interval '1 second')`;
  const downAt = sql`(case when (${j}) % 37 = 0 and ${tier} <> 'basic' then ${upAt} + interval '60 days' end)`;
  /** The tier held at instant t (changes at t itself take effect after it, as orders record tier_at_order). */
  const tierAt = (t: SQL) => sql`(case when ${tier} <> 'basic' and ${t} > ${upAt} and (${downAt} is null or ${t} <= ${downAt}) then ${tier} else 'basic' end)`;
  return { reg, tier, upAt, downAt, tierAt, tz };
}

async function retried<T>(f: () => Promise<T>, tries = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await f();
    } catch (err) {
      if (i >= tries) throw err;
      log(`retrying after: ${(err as Error).message.split("\n")[0].slice(0, 80)}`);
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

/** `--resume`: the steps whose table already holds this merchant's rows are skipped (after a failed load). */
const RESUME = process.argv.includes("--resume");

async function load(db: Db, merchantId: string) {
  const has = async (table: string) =>
    RESUME && (await queryRows(db, sql`select 1 from ${sql.identifier(table)} where merchant_id = ${merchantId} limit 1`)).length > 0;
  const step = async (table: string, label: string, f: () => Promise<unknown>) => {
    if (await has(table)) log(`${label}: already loaded (--resume)`);
    else await timed(label, f);
  };
  const days = Math.round((Date.parse(END) - Date.parse(START)) / 86_400_000) + 1;
  const m = sql.raw(String(MEMBERS));
  const endTs = sql`(${END}::date + 1)::timestamp at time zone 'Asia/Shanghai'`;
  const J = memberSql(sql`i`, days);
  const tz = J.tz;
  await step("members", `members (${MEMBERS})`, () =>
    db.execute(sql`
      insert into members (merchant_id, member_id, registered_at, tier_code, tier_since, lifecycle)
      select ${merchantId}, 'm' || i, ${J.reg}, ${J.tierAt(endTs)}, now(), 'active'
      from generate_series(1, ${m}) i`),
  );
  await step("tier_history", "tier history", () =>
    db.execute(sql`
      insert into tier_history (merchant_id, member_id, from_tier, to_tier, direction, reason, source, changed_at, business_date)
      select ${merchantId}, 'm' || i, from_tier, to_tier, direction, direction, direction || '-m' || i, at, (at at time zone ${tz})::date
      from generate_series(1, ${m}) i
      cross join lateral (values (null, 'basic', 'initial', ${J.reg}), (case when ${J.tier} <> 'basic' then 'basic' end, ${J.tier}, 'up', ${J.upAt}),
                                 (${J.tier}, 'basic', 'down', ${J.downAt})) v(from_tier, to_tier, direction, at)
      where at is not null and at < ${endTs} and (direction <> 'up' or from_tier is not null)`),
  );
  const O = memberSql(sql`j`, days);
  await step("orders", `orders (${ORDERS})`, () =>
    db.execute(sql`
      insert into orders (merchant_id, order_id, member_id, event_id, paid_at, business_date, amount, member_discount, tier_at_order)
      select ${merchantId}, 'o' || i, case when j is null then null else 'm' || j end, 'e' || i, paid_at, (paid_at at time zone ${tz})::date, amount,
             case when j is null then 0 else amount * 3 / 100 end, case when j is null then null else ${O.tierAt(sql`paid_at`)} end
      from (
        select i, j, amount,
               case when j is null then ${START}::date::timestamp at time zone ${tz} + (random() * ${days} * 86400) * interval '1 second'
                    else ${O.reg} + random() * (${endTs} - ${O.reg} - interval '1 second') end as paid_at
        from (select i, case when i % 10 = 0 then null else 1 + floor(random() * ${m})::int end as j, (1000 + floor(random() * 49000))::bigint as amount
              from generate_series(1, ${sql.raw(String(ORDERS))}) i) x
      ) o`),
  );
  await step("refunds", "refunds (2%)", () =>
    db.execute(sql`
      insert into refunds (merchant_id, event_id, order_id, member_id, refunded_at, business_date, amount)
      select merchant_id, 'r' || order_id, order_id, member_id, paid_at + interval '3 days', ((paid_at + interval '3 days') at time zone ${tz})::date, amount / 2
      from orders where merchant_id = ${merchantId} and right(order_id, 2) = '50' and paid_at + interval '3 days' < ${END}::date`),
  );
  await timed("points ledger (earn per member order; spends and expiries)", async () => {
    // A month of orders per statement, each retried (the shared server's lock table has run out
    // under the other engineers' load), months already there skipped.
    for (let month = START; month <= END; month = addMonths(month, 1)) {
      const last = addDays(addMonths(month, 1), -1);
      const done = await queryRows(
        db,
        sql`select 1 from points_ledger where merchant_id = ${merchantId} and kind = 'earn' and business_date between ${month}::date and ${last}::date limit 1`,
      );
      if (done.length) continue;
      await retried(() => db.execute(sql`
        insert into points_ledger (merchant_id, member_id, delta, kind, source, reason, occurred_at, business_date)
        select merchant_id, member_id, amount / 100, 'earn', 'earn-' || order_id, 'order', paid_at, business_date
        from orders where merchant_id = ${merchantId} and member_id is not null
          and business_date between ${month}::date and ${addDays(addMonths(month, 1), -1)}::date
        union all
        select merchant_id, member_id, -(amount / 300), 'spend', 'spend-' || order_id, 'redeem', paid_at + interval '10 days', business_date + 10
        from orders where merchant_id = ${merchantId} and member_id is not null and right(order_id, 1) = '3' and business_date + 10 <= ${END}::date
          and business_date between ${month}::date and ${addDays(addMonths(month, 1), -1)}::date
        union all
        select merchant_id, member_id, -(amount / 200), 'expire', 'expire-' || order_id, 'expired', paid_at + interval '365 days', business_date + 365
        from orders where merchant_id = ${merchantId} and member_id is not null and right(order_id, 1) = '7' and business_date + 365 <= ${END}::date
          and business_date between ${month}::date and ${addDays(addMonths(month, 1), -1)}::date`));
    }
  });
  const R = memberSql(sql`substr(member_id, 2)::int`, days);
  await step("right_instances", "right instances (2 per member, 40% redeemed)", () =>
    db.execute(sql`
      insert into right_instances (merchant_id, grant_id, member_id, right_code, tier_code, unit_cost, source, issued_at, issued_date, redeemed_at, redeemed_date)
      select merchant_id, grant_id, member_id, right_code, ${R.tierAt(sql`issued_at`)}, unit_cost, grant_id, issued_at, (issued_at at time zone ${tz})::date,
             redeemed_at, (redeemed_at at time zone ${tz})::date
      from (
        select merchant_id, 'g' || k || '-' || member_id as grant_id, member_id,
               (array['coupon_90', 'free_shipping', 'tasting', 'coupon_10'])[1 + (k + length(member_id)) % 4] as right_code,
               (array[1500, 800, 1000, 1000])[1 + (k + length(member_id)) % 4]::bigint as unit_cost,
               issued_at, case when random() < 0.4 then issued_at + (random() * 20 * 86400) * interval '1 second' end as redeemed_at
        from (select merchant_id, member_id, k, registered_at + (random() * 200 * 86400) * interval '1 second' as issued_at
              from members, generate_series(1, 2) k where merchant_id = ${merchantId}) x
        where issued_at < ${END}::date
      ) y
      where redeemed_at is null or redeemed_at < ${END}::date`),
  );
  await timed("analyze", () => db.execute(sql`analyze`));
}

async function buildRollups(db: Db, merchantId: string) {
  // The documented routine over the whole history at once (a first run starts at the earliest data).
  await db.execute(sql`delete from metric_rollup_state where merchant_id = ${merchantId}`);
  await refreshDailyAggregates(db, merchantId, END, END, { onPhase: (phase, ms) => log(`  ${phase}: ${(ms / 1000).toFixed(1)} s`) });
  await db.execute(sql`analyze metric_daily`);
}

async function buildDistinct(db: Db, merchantId: string) {
  // The range-distinct aggregates' routine (lib/metrics/aggregates.ts runs both): a first run rebuilds from the earliest data.
  await db.execute(sql`delete from metric_distinct_state where merchant_id = ${merchantId}`);
  await refreshDistinctAggregates(db, merchantId, END, END);
  await db.execute(sql`analyze metric_event_pairs, metric_tier_daily, metric_rights_daily, metric_retention_daily`);
}

function percentile(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}


async function measure(f: () => Promise<unknown>, runs: number, first?: number) {
  const out: number[] = first === undefined ? [] : [first];
  while (out.length < runs) {
    const t0 = performance.now();
    await f();
    out.push(performance.now() - t0);
  }
  return { p50: percentile(out, 50), p95: percentile(out, 95) };
}

async function timedCall<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await f();
  return [r, performance.now() - t0];
}

async function main() {
  await ensureDatabase(URL_);
  const { db, close } = await openDatabase({ url: URL_ });
  const slug = `bench-${MEMBERS}-${ORDERS}`.replace(/_/g, "");
  const existing = await findMerchantBySlug(db, slug);
  const loaded = existing !== null && existing !== undefined && (await queryRows(db, sql`select 1 from orders where merchant_id = ${existing.id} limit 1`)).length > 0;
  if (existing && !(REUSE && loaded) && !RESUME) {
    log(`dropping the previous ${slug} (run with --reuse to keep it)`);
    for (const t of ["members", "tier_history", "orders", "refunds", "points_ledger", "right_instances", "metric_daily", "metric_rollup_state", "metric_distinct_state", "metric_event_pairs", "metric_tier_daily", "metric_rights_daily", "metric_retention_daily"])
      await db.execute(sql`delete from ${sql.identifier(t)} where merchant_id = ${existing.id}`);
  }
  const merchantId = existing?.id ?? (await createMerchant(db, { slug, name: `Bench ${MEMBERS}/${ORDERS}`, demoProgram: true })).id;
  if (!(REUSE && loaded) || RESUME) {
    log(`loading ${MEMBERS} members and ${ORDERS} orders, ${START}..${END}`);
    await timed("bulk load", () => load(db, merchantId));
  }
  if (LOAD_ONLY) return close();
  if (!(REUSE_ROLLUPS && (await queryRows(db, sql`select 1 from metric_rollup_state where merchant_id = ${merchantId}`)).length))
    await timed("rollups (refreshDailyAggregates over the whole history, set-based)", () => buildRollups(db, merchantId));
  if (!(REUSE_ROLLUPS && (await queryRows(db, sql`select 1 from metric_distinct_state where merchant_id = ${merchantId}`)).length))
    await timed("range-distinct aggregates (refreshDistinctAggregates over the whole history, set-based)", () => buildDistinct(db, merchantId));
  if (OPEN_DAY) {
    await timed(`open day ${OPEN}: leftovers removed`, () => removeOpenDay(db, merchantId, END));
    await timed(`open day ${OPEN}: ${JSON.stringify(OPEN_DAY_SHAPE)} written`, () => insertOpenDay(db, merchantId, OPEN, MEMBERS, START));
  }
  try {
    if (OPEN_DAY && (await rfmBaseDate(db, merchantId)) !== END) {
      await timed(`RFM base of ${END} (refreshRfmBase: what refreshDailyAggregates adds to each refresh)`, () => refreshRfmBase(db, merchantId));
      await db.execute(sql`analyze metric_rfm_base_m, metric_rfm_base_rf`);
    }
    if (OPEN_DAY) {
      // The open day built from scratch (the period job does it when it closes the day before: here the day was written around the engine).
      const keys = await timed(`open day ${OPEN}: refreshOpenDay from scratch`, () => refreshOpenDay(db, merchantId, OPEN));
      log(`  ${keys} change keys`);
      await db.execute(sql`analyze metric_open_contrib, metric_open_sums`);
    }
    await measureAll(db, merchantId, "open day refreshed");
    if (OPEN_DAY) {
      // Events after the refresh: read with their keys recomputed (the log), then consumed by an incremental refresh.
      await arriveOrders(db, merchantId, OPEN, MEMBERS, ARRIVING);
      log(`${ARRIVING} orders arrived after the refresh (${ARRIVING} logged batches)`);
      await measureAll(db, merchantId, `${ARRIVING} batches since the refresh`, ARRIVING_CHECKED);
      const keys = await timed("refreshOpenDay (incremental: the logged keys)", () => refreshOpenDay(db, merchantId));
      log(`  ${keys} keys recomputed`);
      // The period job closing the open day: the aggregates' extension alone (runDay's other work would change the data).
      // (extendAggregates' two steps, the daily rollups' phases printed.)
      await timed(`period-job day: extendAggregates(${OPEN})`, async () => {
        await timed("  refreshDailyAggregates (forward, one day)", () =>
          refreshDailyAggregates(db, merchantId, OPEN, OPEN, { onPhase: (phase, ms) => log(`    ${phase}: ${(ms / 1000).toFixed(1)} s`) }),
        );
        await timed("  refreshDistinctAggregates (one day)", () => refreshDistinctAggregates(db, merchantId, OPEN));
      });
    }
  } finally {
    if (OPEN_DAY) await timed(`open day ${OPEN} removed (data and aggregates back to ${END})`, () => removeOpenDay(db, merchantId, END));
    await close();
  }
}

/** Orders arriving after the open day's refresh (below OPEN_LOG_REFRESH, so reads recompute their keys); the metrics checked against raw then. */
const ARRIVING = 40;
const ARRIVING_CHECKED = ["repurchase", "arpu", "retention", "revenue-share", "points", "rfm"];

async function measureAll(db: Db, merchantId: string, label: string, checked?: string[]) {
  const rows: string[][] = [["metric", "tier", "fast p50 ms", "fast p95 ms", "raw p50 ms", "raw p95 ms", "raw/fast (p95)", "path"]];
  log(`${label}: range ${RANGE.from}..${RANGE.to} by month; fast: ${RUNS} runs after a warm-up, raw: ${RAW_RUNS} runs`);
  for (const tier of TIER_PASSES) {
    const params: MetricParams = { merchantId, ...RANGE, tier };
    for (const name of metricNames.filter((n) => (!ONLY || ONLY.includes(n)) && (!checked || checked.includes(n)))) {
      const fastFn: Metric = fastMetrics[name];
      const rawFn: Metric = metrics[name];
      // Same answer first (the first raw run is also timed; the fast one is the warm-up).
      lastRfmRoute.route = null;
      const [a, firstFast] = await timedCall(() => fastFn(db, params));
      const route = lastRfmRoute.route;
      const [b, firstRaw] = await timedCall(() => rawFn(db, params));
      if (!isDeepStrictEqual(a, b)) throw new Error(`${name} (tier ${tier ?? "all"}): fast and raw answers differ`);
      const raw = await measure(() => rawFn(db, params), RAW_RUNS, firstRaw);
      // A metric fastMetrics still serves with the raw function is measured once (the same function).
      // A fast path that still takes seconds (RFM ending after the aggregates) is measured 3 times.
      const fast = fastFn === rawFn ? raw : await measure(() => fastFn(db, params), firstFast > 5000 ? 3 : RUNS);
      const path = fastFn === rawFn ? "raw" : name === "rfm" && route ? `aggregates (open day: ${route})` : "aggregates";
      const row = [name, tier ?? "all", fast.p50.toFixed(1), fast.p95.toFixed(1), raw.p50.toFixed(1), raw.p95.toFixed(1), `${(raw.p95 / fast.p95).toFixed(1)}×`, path];
      rows.push(row);
      log(row.join("  "));
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(`\n${MEMBERS} members, ${ORDERS} orders (${START}..${END}${OPEN_DAY ? `, open day ${OPEN} not covered: ${label}` : ""}), 12-month range ${RANGE.from}..${RANGE.to} by month, PostgreSQL\n`);
  for (const [i, r] of rows.entries()) {
    console.log(`| ${r.map((c, j) => c.padEnd(widths[j])).join(" | ")} |`);
    if (i === 0) console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
