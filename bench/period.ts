// npm run bench -- period [--n 1_000_000] [--chunk 2000]: one period-job day at N members on PostgreSQL
// (BENCH_DATABASE_URL, default postgres://postgres:postgres@127.0.0.1:5432/bench_period, created when
// missing), with how long that merchant's single events wait while it runs (target p95 ≤ 100 ms).
// Members are loaded with generate_series, as bench/members.ts does (a fresh merchant per run), with
// a points lot each, a tenth of them expiring on the day; the day also downgrades every member idle
// past the demo program's 3 months. A client posts single order.paid events for the same merchant
// through the engine, one at a time before the job (the baseline), and 10 a second (open loop) while it runs.
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type Db } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { runPeriodJob } from "@/lib/engine/period";
import { addDays, businessDate } from "@/lib/util/dates";
import { ensureDatabase, flag, log } from "./common";

const URL_ = process.env.BENCH_DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/bench_period";

async function loadMembers(db: Db, merchantId: string, n: number, day: string) {
  const step = 250_000;
  for (let from = 1; from <= n; from += step) {
    const to = Math.min(n, from + step - 1);
    await db.execute(sql`
      insert into members (merchant_id, member_id, name, registered_at, tier_code, tier_since, growth, points_balance, lifetime_spend, order_count, last_order_at, lifecycle)
      select ${merchantId}, 'P' || lpad(g::text, 7, '0'), '会员' || g, reg, tier, reg + interval '30 days', spend / 100, 100, spend, orders,
        case when orders = 0 then null else now() - (random() * interval '200 days') end, 'active'
      from (
        select g, now() - interval '30 days' - (random() * interval '1065 days') as reg,
          case when r < 0.60 then 'basic' when r < 0.85 then 'silver' when r < 0.97 then 'gold' else 'diamond' end as tier,
          (case when r < 0.60 then random() * 99900 else 100000 + random() * 2000000 end)::bigint as spend,
          (case when r < 0.60 then random() * 3 else 2 + random() * 40 end)::int as orders
        from (select g, random() as r from generate_series(${from}::int, ${to}::int) g) s
      ) x`);
    // One lot of 100 points each; every tenth member's expires on the first day, another tenth's on the second.
    await db.execute(sql`
      insert into points_lots (merchant_id, member_id, source, earned_at, expires_at, amount, remaining)
      select ${merchantId}, 'P' || lpad(g::text, 7, '0'), 'bench:' || g, now() - interval '300 days',
        case when g % 10 = 0 then ${addDays(day, -1)}::date + interval '12 hours' when g % 10 = 5 then ${day}::date + interval '12 hours' else now() + interval '200 days' end, 100, 100
      from generate_series(${from}::int, ${to}::int) g`);
  }
  await db.execute(sql`analyze members, points_lots`);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

export async function benchPeriod() {
  const n = flag("n", 1_000_000);
  const chunk = flag("chunk", Number(process.env.PERIOD_CHUNK_MEMBERS ?? 1000));
  await ensureDatabase(URL_);
  const database = await openDatabase({ url: URL_ });
  // The events' own connections: they wait on the merchant's lock as the server's would.
  const events = await openDatabase({ url: URL_ });
  try {
    const db = database.db;
    const m = (await createMerchant(db, { slug: `bench-period-${Date.now().toString(36)}`, name: "Bench period", demoProgram: true })).id;
    const day = addDays(businessDate(new Date(), "Asia/Shanghai"), -1);
    const t0 = performance.now();
    await loadMembers(db, m, n, day);
    log(`loaded ${n.toLocaleString("en")} members and lots in ${((performance.now() - t0) / 1000).toFixed(1)} s; the day is ${day}, chunks of ${chunk.toLocaleString("en")} members`);
    // The job starts at the merchant's first event: one long before the day. The days before are marked as run: the job runs two days.
    await ingestEvents(db, m, [{ id: "bench-first", type: "member.registered", occurredAt: `${addDays(day, -1100)}T10:00:00+08:00`, memberId: "P0000000", data: {} }]);
    await db.execute(sql`insert into period_runs (merchant_id, business_date) select ${m}, d::date from generate_series(${addDays(day, -1200)}::date, ${addDays(day, -2)}::date, interval '1 day') d`);

    let seq = 0;
    const single = async () => {
      const i = seq++;
      const member = `P${String(1 + ((i * 7919) % n)).padStart(7, "0")}`;
      const t = performance.now();
      const [r] = await ingestEvents(events.db, m, [{ id: `bench-o-${i}`, type: "order.paid", occurredAt: new Date().toISOString(), memberId: member, data: { orderId: `bench-o-${i}`, amount: 9_900 } }]);
      if (r.status !== "applied") throw new Error(`event ${i}: ${JSON.stringify(r)}`);
      return performance.now() - t;
    };
    const baseline: number[] = [];
    for (let i = 0; i < 300; i++) baseline.push(await single());
    log(`single events before the job: p50 ${ms(pct(baseline, 50))}, p95 ${ms(pct(baseline, 95))}, max ${ms(Math.max(...baseline))}`);

    // The first day after the load changes most members (idle downgrades, every lifecycle and RFM
    // score set for the first time); the second is a routine day.
    const days: { label: string; date: string; jobMs: number; during: number[]; expired: number; downgrades: number }[] = [];
    for (const [label, date] of [["first day", addDays(day, -1)], ["routine day", day]]) {
      // Open loop: a new event every 100 ms whether or not the previous ones are answered, so a stall
      // shows in every event that arrives during it (as it would with a shop's steady stream).
      const during: number[] = [];
      const inFlight: Promise<void>[] = [];
      const every = setInterval(() => inFlight.push(single().then((t) => void during.push(t))), 100);
      const tj = performance.now();
      const r = await runPeriodJob(db, m, date, { from: date, chunkMembers: chunk, analyze: false });
      const jobMs = performance.now() - tj;
      clearInterval(every);
      await Promise.all(inFlight);
      const [c] = await queryRows<{ expired: number; downgrades: number }>(
        db,
        sql`select (select count(*)::int from points_ledger where merchant_id = ${m} and kind = 'expire' and business_date = ${date}::date) as expired,
          (select count(*)::int from tier_history where merchant_id = ${m} and source like 'period:%' and business_date = ${date}::date) as downgrades`,
      );
      days.push({ label, date, jobMs, during, ...c });
      log(`${label} ${r.daysRun.join(",")}: ${(jobMs / 1000).toFixed(1)} s (${c.expired.toLocaleString("en")} lots expired, ${c.downgrades.toLocaleString("en")} downgrades)`);
      log(`  single events while it ran: ${during.length} (10 a second), p50 ${ms(pct(during, 50))}, p95 ${ms(pct(during, 95))}, max ${ms(Math.max(...during))}`);
    }
    console.log(`\nsummary at ${n.toLocaleString("en")} members, chunks of ${chunk.toLocaleString("en")} (single events before the job: p95 ${ms(pct(baseline, 95))}):`);
    for (const d of days) console.log(`  ${d.label}: ${(d.jobMs / 1000).toFixed(1)} s; that merchant's single events p95 ${ms(pct(d.during, 95))}, max ${ms(Math.max(...d.during))} while it ran (target ≤ 100 ms)`);
  } finally {
    await events.close();
    await database.close();
  }
}
