/**
 * Range-distinct metrics benchmark:
 * `npx tsx bench/metrics-distinct.ts [--members N] [--orders N] [--runs N] [--raw-runs N] [--cases N] [--reuse | --rebuild]`.
 *
 * On local PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres:postgres@127.0.0.1:5432/bench_distinct,
 * created when missing) it bulk-loads one merchant's history with the generate_series loader of
 * bench/metrics.ts (copied here, plus each order's tier_at_order and each right's tier_code, and some
 * downgrades), rebuilds the aggregates with `refreshDistinctAggregates` (one set-based call over the
 * whole history but the last day, then that day the way the period job does it), checks fast = raw, and prints
 * p50/p95 of `fastDistinctMetrics` beside the raw-table reference (`metrics`) for repurchase, arpu,
 * tier-changes, rights-usage and retention: the 12 months to 2026-06-30 by month (all tiers, and the
 * silver tier), the last 12 weeks by week and the last 31 days by day (`--cases N`: the first N of
 * these), and first the 12 months with the last day not refreshed yet (read raw beside the aggregates).
 * `--reuse` keeps a loaded merchant of that size and its aggregates; `--rebuild` keeps the data but
 * rebuilds the aggregates. In-process server time; the fast = raw check is the raw warm-up.
 */
import { isDeepStrictEqual } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type Db } from "@/db/client";
import { createMerchant, findMerchantBySlug } from "@/lib/tenancy/merchants";
import { metrics, type MetricName, type MetricParams } from "@/lib/metrics";
import { fastDistinctMetrics, refreshDistinctAggregates } from "@/lib/metrics/fast-distinct";
import { addDays, addMonths } from "@/lib/util/dates";
import { ensureDatabase, flag, log, timed } from "./common";

const MEMBERS = flag("members", 100_000);
const ORDERS = flag("orders", 1_000_000);
const RUNS = flag("runs", 20);
const RAW_RUNS = flag("raw-runs", 5);
const CASE_COUNT = flag("cases", 4);
const REBUILD = process.argv.includes("--rebuild");
const REUSE = REBUILD || process.argv.includes("--reuse");
const URL_ = process.env.BENCH_DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/bench_distinct";
const NAMES: MetricName[] = ["repurchase", "arpu", "tier-changes", "rights-usage", "retention"];

/** The history: 15 months ending END; the benchmark range is the last 12 months. */
const END = "2026-06-30";
const START = addMonths(addDays(END, 1), -15);
const CASES: { label: string; range: Omit<MetricParams, "merchantId"> }[] = [
  { label: "12 months by month", range: { from: addMonths(addDays(END, 1), -12), to: END, granularity: "month" } },
  { label: "12 months by month, tier silver", range: { from: addMonths(addDays(END, 1), -12), to: END, granularity: "month", tier: "silver" } },
  { label: "12 weeks by week (from a Wednesday)", range: { from: addDays(END, -7 * 12 + 1), to: END, granularity: "week" } },
  { label: "31 days by day", range: { from: addDays(END, -30), to: END, granularity: "day" } },
];

const TODAY_CASE = { label: "12 months by month, last day not refreshed yet", range: CASES[0].range };

async function load(db: Db, merchantId: string) {
  const days = Math.round((Date.parse(END) - Date.parse(START)) / 86_400_000) + 1;
  const m = sql.raw(String(MEMBERS));
  const tz = "Asia/Shanghai";
  await timed(`members (${MEMBERS})`, () =>
    db.execute(sql`
      insert into members (merchant_id, member_id, registered_at, tier_code, tier_since, lifecycle)
      select ${merchantId}, 'm' || i,
             ${START}::date::timestamp at time zone ${tz} + (sqrt(random()) * ${days} * 86400) * interval '1 second',
             case when i % 100 < 80 then 'basic' when i % 100 < 93 then 'silver' when i % 100 < 99 then 'gold' else 'diamond' end,
             now(), 'active'
      from generate_series(1, ${m}) i`),
  );
  // Joining in basic; the members of a higher tier went up within 120 days; a fifth of them later back down.
  await timed("tier history", () =>
    db.execute(sql`
      with up as (
        select merchant_id, member_id, tier_code, registered_at + (random() * 120 * 86400) * interval '1 second' as up_at
        from members where merchant_id = ${merchantId} and tier_code <> 'basic'
      )
      insert into tier_history (merchant_id, member_id, from_tier, to_tier, direction, reason, source, changed_at, business_date)
      select merchant_id, member_id, null, 'basic', 'initial', 'registered', 'init-' || member_id, registered_at, (registered_at at time zone ${tz})::date
      from members where merchant_id = ${merchantId}
      union all
      select merchant_id, member_id, 'basic', tier_code, 'up', 'growth', 'up-' || member_id, up_at, (up_at at time zone ${tz})::date from up
      union all
      select merchant_id, member_id, tier_code, 'basic', 'down', 'review', 'down-' || member_id, down_at, (down_at at time zone ${tz})::date
      from (select *, up_at + (30 + random() * 200) * interval '1 day' as down_at from up where hashtext(member_id) % 5 = 0) d
      where down_at < ${END}::date`),
  );
  await timed(`orders (${ORDERS}, tier at order from the tier history)`, () =>
    db.execute(sql`
      insert into orders (merchant_id, order_id, member_id, event_id, paid_at, business_date, amount, member_discount, tier_at_order)
      select ${merchantId}, 'o' || i, o.member_id, 'e' || i, paid_at, (paid_at at time zone ${tz})::date, amount,
             case when o.member_id is null then 0 else amount * 3 / 100 end,
             case when o.member_id is null then null
                  when dn.changed_at <= paid_at then 'basic'
                  when up.changed_at <= paid_at then up.to_tier
                  else 'basic' end
      from (
        select i, case when i % 10 = 0 then null else 'm' || (1 + floor(random() * ${m})::int) end as member_id,
               ${START}::date::timestamp at time zone ${tz} + (random() * ${days} * 86400) * interval '1 second' as paid_at,
               (1000 + floor(random() * 49000))::bigint as amount
        from generate_series(1, ${sql.raw(String(ORDERS))}) i
      ) o
      left join tier_history up on up.merchant_id = ${merchantId} and up.member_id = o.member_id and up.direction = 'up'
      left join tier_history dn on dn.merchant_id = ${merchantId} and dn.member_id = o.member_id and dn.direction = 'down'`),
  );
  await timed("refunds (2%)", () =>
    db.execute(sql`
      insert into refunds (merchant_id, event_id, order_id, member_id, refunded_at, business_date, amount)
      select merchant_id, 'r' || order_id, order_id, member_id, paid_at + interval '3 days', ((paid_at + interval '3 days') at time zone ${tz})::date, amount / 2
      from orders where merchant_id = ${merchantId} and right(order_id, 2) = '50' and paid_at + interval '3 days' < ${END}::date`),
  );
  await timed("right instances (2 per member, 40% redeemed; the second in the member's tier)", () =>
    db.execute(sql`
      insert into right_instances (merchant_id, grant_id, member_id, right_code, tier_code, unit_cost, source, issued_at, issued_date, redeemed_at, redeemed_date)
      select merchant_id, grant_id, member_id, right_code, tier_code, unit_cost, grant_id, issued_at, (issued_at at time zone ${tz})::date,
             redeemed_at, (redeemed_at at time zone ${tz})::date
      from (
        select merchant_id, 'g' || k || '-' || member_id as grant_id, member_id,
               (array['coupon_90', 'free_shipping', 'tasting', 'coupon_10'])[1 + (k + length(member_id)) % 4] as right_code,
               case when k = 2 then tier_code else 'basic' end as tier_code,
               (array[1500, 800, 1000, 1000])[1 + (k + length(member_id)) % 4]::bigint as unit_cost,
               issued_at, case when random() < 0.4 then issued_at + (random() * 20 * 86400) * interval '1 second' end as redeemed_at
        from (select merchant_id, member_id, tier_code, k, registered_at + (random() * 200 * 86400) * interval '1 second' as issued_at
              from members, generate_series(1, 2) k where merchant_id = ${merchantId}) x
        where issued_at < ${END}::date
      ) y
      where redeemed_at is null or redeemed_at < ${END}::date`),
  );
  await timed("analyze", () => db.execute(sql`analyze`));
}

function percentile(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function measure(f: () => Promise<unknown>, runs: number, warm = false) {
  if (!warm) await f(); // warm-up (plans, caches)
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    out.push(performance.now() - t0);
  }
  return { p50: percentile(out, 50), p95: percentile(out, 95) };
}

async function main() {
  await ensureDatabase(URL_);
  const { db, close } = await openDatabase({ url: URL_ });
  const slug = `distinct-${MEMBERS}-${ORDERS}`;
  const existing = await findMerchantBySlug(db, slug);
  if (existing && !REUSE) {
    log(`dropping the previous ${slug} (run with --reuse to keep it)`);
    for (const t of ["members", "tier_history", "orders", "refunds", "right_instances", "metric_distinct_state", "metric_event_pairs", "metric_tier_daily", "metric_rights_daily", "metric_retention_daily"])
      await db.execute(sql`delete from ${sql.identifier(t)} where merchant_id = ${existing.id}`);
  }
  const merchantId = existing?.id ?? (await createMerchant(db, { slug, name: `Distinct ${MEMBERS}/${ORDERS}`, demoProgram: true })).id;
  const rows: string[][] = [["metric", "range", "fast p50 ms", "fast p95 ms", "raw p50 ms", "raw p95 ms", "raw/fast (p95)"]];
  async function runCase(c: { label: string; range: Omit<MetricParams, "merchantId"> }) {
    const params: MetricParams = { merchantId, ...c.range };
    log(`${c.label}: ${c.range.from}..${c.range.to}; fast ${RUNS} runs, raw ${RAW_RUNS} runs (each after a warm-up)`);
    for (const name of NAMES) {
      const fastF = fastDistinctMetrics[name]!;
      const [a, b] = [await fastF(db, params), await metrics[name](db, params)];
      if (!isDeepStrictEqual(a, b)) throw new Error(`${name} ${c.label}: fast and raw answers differ`);
      const fast = await measure(() => fastF(db, params), RUNS);
      const raw = await measure(() => metrics[name](db, params), RAW_RUNS, true);
      const row = [name, c.label, fast.p50.toFixed(1), fast.p95.toFixed(1), raw.p50.toFixed(1), raw.p95.toFixed(1), `${(raw.p95 / fast.p95).toFixed(1)}×`];
      rows.push(row);
      log(row.join("  "));
    }
  }
  if (REBUILD || !REUSE || !(await queryRows(db, sql`select 1 from metric_distinct_state where merchant_id = ${merchantId}`)).length) {
    if (REUSE && existing) await db.execute(sql`delete from metric_distinct_state where merchant_id = ${merchantId}`);
    else {
      log(`loading ${MEMBERS} members and ${ORDERS} orders, ${START}..${END}`);
      await timed("bulk load", () => load(db, merchantId));
    }
    await timed(`refreshDistinctAggregates: rebuild of the whole history through ${addDays(END, -1)}`, () => refreshDistinctAggregates(db, merchantId, addDays(END, -1)));
    await db.execute(sql`analyze metric_event_pairs, metric_tier_daily, metric_rights_daily, metric_retention_daily`);
    // "Today": the last day's orders, moves and redemptions read raw beside the aggregates.
    await runCase(TODAY_CASE);
    await timed(`refreshDistinctAggregates: the period job closing ${END}`, () => refreshDistinctAggregates(db, merchantId, END));
  }
  const [size] = await queryRows<Record<string, string>>(
    db,
    sql`select (select count(*) from metric_event_pairs where merchant_id = ${merchantId}) as pairs,
               (select count(*) from metric_tier_daily where merchant_id = ${merchantId}) as tier_daily,
               (select count(*) from metric_rights_daily where merchant_id = ${merchantId}) as rights_daily,
               (select count(*) from metric_retention_daily where merchant_id = ${merchantId}) as retention_daily,
               pg_size_pretty(pg_total_relation_size('metric_event_pairs') + pg_total_relation_size('metric_tier_daily')
                 + pg_total_relation_size('metric_rights_daily') + pg_total_relation_size('metric_retention_daily')) as on_disk_all_merchants`,
  );
  log("aggregate rows:", JSON.stringify(size));

  for (const c of CASES.slice(0, CASE_COUNT)) await runCase(c);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(`\n${MEMBERS} members, ${ORDERS} orders (${START}..${END}), PostgreSQL, fast = raw checked for every row\n`);
  for (const r of rows) console.log(`| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`);
  await close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
