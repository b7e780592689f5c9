/**
 * Metrics benchmark: `npx tsx bench/metrics.ts [--members N] [--orders N] [--runs N] [--raw-runs N] [--reuse]`
 * (or `npm run bench -- metrics ...`).
 *
 * On local PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres:postgres@127.0.0.1:5432/bench_metrics,
 * created when missing) it bulk-loads one merchant's history with generate_series SQL — members,
 * tier history, orders (10% guests), refunds (2%), points earned / spent / expired, right instances —
 * then builds the daily rollups with the documented routine (`refreshDailyAggregates`, month by month,
 * as the period job would day by day), and prints per metric the p50/p95 time of the domain function
 * the API serves (`fastMetrics`) beside the raw-table reference (`metrics`) for a 12-month range by
 * month, and the ratio. Times are in-process server time (the handler's work, no HTTP).
 * `--reuse` skips the load when the database already holds a merchant of that size.
 */
import { isDeepStrictEqual } from "node:util";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type Db } from "@/db/client";
import { createMerchant, findMerchantBySlug } from "@/lib/tenancy/merchants";
import { metrics, metricNames, type MetricParams } from "@/lib/metrics";
import { fastMetrics, rolledUpMetrics } from "@/lib/metrics/fast";
import { refreshDailyAggregates } from "@/lib/metrics/rollup";
import { addDays, addMonths } from "@/lib/util/dates";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1].replace(/_/g, "")) : fallback;
}
const MEMBERS = flag("members", 1_000_000);
const ORDERS = flag("orders", 10_000_000);
const RUNS = flag("runs", 20);
const RAW_RUNS = flag("raw-runs", 5);
const REUSE = process.argv.includes("--reuse");
const URL_ = process.env.BENCH_DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/bench_metrics";

/** The history: 15 months ending END; the benchmark range is the last 12 months. */
const END = "2026-06-30";
const START = addMonths(addDays(END, 1), -15);
const RANGE = { from: addMonths(addDays(END, 1), -12), to: END, granularity: "month" as const };

const log = (...a: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

async function ensureDatabase() {
  const url = new URL(URL_);
  const name = url.pathname.slice(1);
  url.pathname = "/postgres";
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const [row] = await admin`select 1 from pg_database where datname = ${name}`;
  if (!row) await admin.unsafe(`create database ${name}`);
  await admin.end();
}

async function timed(label: string, f: () => Promise<unknown>) {
  const t0 = performance.now();
  await f();
  log(`${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function load(db: Db, merchantId: string) {
  const days = Math.round((Date.parse(END) - Date.parse(START)) / 86_400_000) + 1;
  const m = sql.raw(String(MEMBERS));
  const tz = "Asia/Shanghai";
  // A member's registration: spread over the history, earlier ones more likely (a growing program).
  await timed(`members (${MEMBERS})`, () =>
    db.execute(sql`
      insert into members (merchant_id, member_id, registered_at, tier_code, tier_since, lifecycle)
      select ${merchantId}, 'm' || i,
             ${START}::date::timestamp at time zone ${tz} + (sqrt(random()) * ${days} * 86400) * interval '1 second',
             case when i % 100 < 80 then 'basic' when i % 100 < 93 then 'silver' when i % 100 < 99 then 'gold' else 'diamond' end,
             now(), 'active'
      from generate_series(1, ${m}) i`),
  );
  await timed("tier history", () =>
    db.execute(sql`
      insert into tier_history (merchant_id, member_id, from_tier, to_tier, direction, reason, source, changed_at, business_date)
      select merchant_id, member_id, null, 'basic', 'initial', 'registered', 'init-' || member_id, registered_at, (registered_at at time zone ${tz})::date
      from members where merchant_id = ${merchantId}
      union all
      select merchant_id, member_id, 'basic', tier_code, 'up', 'growth', 'up-' || member_id, up_at, (up_at at time zone ${tz})::date
      from (select *, registered_at + (random() * 120 * 86400) * interval '1 second' as up_at from members
            where merchant_id = ${merchantId} and tier_code <> 'basic') x`),
  );
  await timed(`orders (${ORDERS})`, () =>
    db.execute(sql`
      insert into orders (merchant_id, order_id, member_id, event_id, paid_at, business_date, amount, member_discount)
      select ${merchantId}, 'o' || i, member_id, 'e' || i, paid_at, (paid_at at time zone ${tz})::date, amount,
             case when member_id is null then 0 else amount * 3 / 100 end
      from (
        select i, case when i % 10 = 0 then null else 'm' || (1 + floor(random() * ${m})::int) end as member_id,
               ${START}::date::timestamp at time zone ${tz} + (random() * ${days} * 86400) * interval '1 second' as paid_at,
               (1000 + floor(random() * 49000))::bigint as amount
        from generate_series(1, ${sql.raw(String(ORDERS))}) i
      ) o`),
  );
  await timed("refunds (2%)", () =>
    db.execute(sql`
      insert into refunds (merchant_id, event_id, order_id, member_id, refunded_at, business_date, amount)
      select merchant_id, 'r' || order_id, order_id, member_id, paid_at + interval '3 days', ((paid_at + interval '3 days') at time zone ${tz})::date, amount / 2
      from orders where merchant_id = ${merchantId} and right(order_id, 2) = '50' and paid_at + interval '3 days' < ${END}::date`),
  );
  await timed("points ledger (earn per member order; spends and expiries)", () =>
    db.execute(sql`
      insert into points_ledger (merchant_id, member_id, delta, kind, source, reason, occurred_at, business_date)
      select merchant_id, member_id, amount / 100, 'earn', 'earn-' || order_id, 'order', paid_at, business_date
      from orders where merchant_id = ${merchantId} and member_id is not null
      union all
      select merchant_id, member_id, -(amount / 300), 'spend', 'spend-' || order_id, 'redeem', paid_at + interval '10 days', business_date + 10
      from orders where merchant_id = ${merchantId} and member_id is not null and right(order_id, 1) = '3' and business_date + 10 <= ${END}::date
      union all
      select merchant_id, member_id, -(amount / 200), 'expire', 'expire-' || order_id, 'expired', paid_at + interval '365 days', business_date + 365
      from orders where merchant_id = ${merchantId} and member_id is not null and right(order_id, 1) = '7' and business_date + 365 <= ${END}::date`),
  );
  await timed("right instances (2 per member, 40% redeemed)", () =>
    db.execute(sql`
      insert into right_instances (merchant_id, grant_id, member_id, right_code, unit_cost, source, issued_at, issued_date, redeemed_at, redeemed_date)
      select merchant_id, grant_id, member_id, right_code, unit_cost, grant_id, issued_at, (issued_at at time zone ${tz})::date,
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
  // The documented routine, a month at a time (the period job does it a day at a time).
  const [first] = await queryRows<{ d: string }>(db, sql`select min(business_date)::text as d from tier_history where merchant_id = ${merchantId}`);
  for (let from = first.d; from <= END; ) {
    const to = addDays(addMonths(`${from.slice(0, 7)}-01`, 1), -1) < END ? addDays(addMonths(`${from.slice(0, 7)}-01`, 1), -1) : END;
    await timed(`refreshDailyAggregates ${from}..${to}`, () => refreshDailyAggregates(db, merchantId, from, to));
    from = addDays(to, 1);
  }
  await db.execute(sql`analyze metric_daily`);
}

function percentile(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function measure(f: () => Promise<unknown>, runs: number) {
  await f(); // warm-up (plans, caches)
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    out.push(performance.now() - t0);
  }
  return { p50: percentile(out, 50), p95: percentile(out, 95) };
}

async function main() {
  await ensureDatabase();
  const { db, close } = await openDatabase({ url: URL_ });
  const slug = `bench-${MEMBERS}-${ORDERS}`.replace(/_/g, "");
  const existing = await findMerchantBySlug(db, slug);
  if (existing && !REUSE) {
    log(`dropping the previous ${slug} (run with --reuse to keep it)`);
    for (const t of ["members", "tier_history", "orders", "refunds", "points_ledger", "right_instances", "metric_daily", "metric_rollup_state"])
      await db.execute(sql`delete from ${sql.identifier(t)} where merchant_id = ${existing.id}`);
  }
  const merchantId = existing?.id ?? (await createMerchant(db, { slug, name: `Bench ${MEMBERS}/${ORDERS}`, demoProgram: true })).id;
  if (!REUSE || !(await queryRows(db, sql`select 1 from metric_rollup_state where merchant_id = ${merchantId}`)).length) {
    log(`loading ${MEMBERS} members and ${ORDERS} orders, ${START}..${END}`);
    await timed("bulk load", () => load(db, merchantId));
    await timed("rollups (refreshDailyAggregates over the whole history)", () => buildRollups(db, merchantId));
  }
  const params: MetricParams = { merchantId, ...RANGE };
  log(`range ${RANGE.from}..${RANGE.to} by month; fast: ${RUNS} runs, raw: ${RAW_RUNS} runs (after a warm-up each)`);
  const rows: string[][] = [["metric", "fast p50 ms", "fast p95 ms", "raw p50 ms", "raw p95 ms", "raw/fast (p95)", "path"]];
  for (const name of metricNames) {
    // Same answer first: the benchmark compares equals.
    const [a, b] = [await fastMetrics[name](db, params), await metrics[name](db, params)];
    if (!isDeepStrictEqual(a, b)) throw new Error(`${name}: fast and raw answers differ`);
    const fast = await measure(() => fastMetrics[name](db, params), RUNS);
    const raw = await measure(() => metrics[name](db, params), RAW_RUNS);
    const row = [name, fast.p50.toFixed(1), fast.p95.toFixed(1), raw.p50.toFixed(1), raw.p95.toFixed(1), `${(raw.p95 / fast.p95).toFixed(1)}×`, rolledUpMetrics.includes(name) ? "rollup" : "raw"];
    rows.push(row);
    log(row.join("  "));
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(`\n${MEMBERS} members, ${ORDERS} orders (${START}..${END}), 12-month range by month, PostgreSQL\n`);
  for (const r of rows) console.log(`| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`);
  await close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
