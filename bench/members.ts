/**
 * `npx tsx bench/members.ts` (or `npm run bench -- members`): the members workspace at a million
 * members on PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres:postgres@127.0.0.1:5432/bench_members,
 * created when missing). Loads 1,000,000 members once with generate_series (kept for later runs),
 * then times: a filtered, sorted list page; the list's total for the same filters (exact up to
 * 10,000, estimated past it); a search by the last four phone digits; a member's detail; importing
 * 100,000 order rows. Targets: list p95 ≤ 100 ms (the total and the last-four search too), detail
 * p95 ≤ 50 ms, import ≤ 60 s.
 */
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type Db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { createMerchant, findMerchantBySlug } from "@/lib/tenancy/merchants";
import { listMembers } from "@/lib/members/list-members";
import { countMembers } from "@/lib/members/count-members";
import { memberDetail } from "@/lib/members/member-detail";
import { createImportJob, getImportJobOrThrow } from "@/lib/members/import-csv";
import { saveUpload } from "@/lib/members/import-files";
import { parseMemberListQuery } from "@/lib/schemas/members";
import { ensureDatabase } from "./common";

const URL_ = process.env.BENCH_DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/bench_members";
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1_000_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const LANES = Number(process.env.IMPORT_LANES ?? 2);

/** Members in realistic proportions: tiers 60/25/12/3 %, spend by tier, 3 years of registrations. */
async function loadMembers(db: Db, merchantId: string, n: number) {
  const [{ count }] = await queryRows<{ count: number }>(db, sql`select count(*)::int as count from members where merchant_id = ${merchantId}`);
  if (count >= n) return { loaded: false, count };
  await db.execute(sql`delete from members where merchant_id = ${merchantId}`);
  const t0 = performance.now();
  const step = 250_000;
  for (let from = 1; from <= n; from += step) {
    const to = Math.min(n, from + step - 1);
    await db.execute(sql`
      insert into members (merchant_id, member_id, name, phone, registered_at, tier_code, tier_since, growth, points_balance,
        lifetime_spend, order_count, last_order_at, lifecycle, rfm_r, rfm_f, rfm_m)
      select ${merchantId}, 'B' || lpad(g::text, 7, '0'),
        (array['王','李','张','刘','陈','杨','黄','赵','吴','周'])[1 + (g * 7) % 10] || (array['芳','伟','娜','敏','静','磊','洋','艳','勇','军','杰','娟'])[1 + (g * 13) % 12],
        '13' || lpad(((g::bigint * 7919) % 1000000000)::text, 9, '0'),
        reg, tier, reg + interval '30 days', spend / 100, (spend / 100) % 20000,
        spend, orders, case when orders = 0 then null else now() - (random() * interval '200 days') end,
        (array['new','active','active','active','dormant','dormant','lost'])[1 + (g % 7)],
        1 + g % 5, 1 + (g / 5) % 5, 1 + (g / 25) % 5
      from (
        select g, now() - (random() * interval '1095 days') as reg, r,
          case when r < 0.60 then 'basic' when r < 0.85 then 'silver' when r < 0.97 then 'gold' else 'diamond' end as tier,
          (case when r < 0.60 then random() * 99900 when r < 0.85 then 100000 + random() * 400000 when r < 0.97 then 500000 + random() * 1500000 else 2000000 + random() * 6000000 end)::bigint as spend,
          (case when r < 0.60 then random() * 3 else 2 + random() * 40 end)::int as orders
        from (select g, random() as r from generate_series(${from}::int, ${to}::int) g) s
      ) x`);
  }
  await db.execute(sql`analyze members`);
  return { loaded: true, count: n, seconds: (performance.now() - t0) / 1000 };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
async function timeIt(fn: () => Promise<unknown>) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main() {
  await ensureDatabase(URL_);
  const database = await openDatabase({ url: URL_ });
  const db = database.db;
  const merchantId = (await findMerchantBySlug(db, "bench-members"))?.id ?? (await createMerchant(db, { slug: "bench-members", name: "Bench", demoProgram: true })).id;
  const actor: Actor = { kind: "user", userId: "bench", merchantId, role: "operator", email: "bench@local", name: "Bench" };
  const load = await loadMembers(db, merchantId, MEMBERS);
  console.log(load.loaded ? `loaded ${MEMBERS.toLocaleString()} members in ${load.seconds!.toFixed(1)} s` : `reusing ${load.count.toLocaleString()} members`);

  // Import first, so detail pages below include members with orders, ledgers and lots.
  const runTag = Date.now().toString(36);
  const lines = ["订单号,会员编号,实付金额,支付时间"];
  for (let i = 0; i < ORDERS; i++) {
    const member = `B${String(1 + ((i * 7919) % MEMBERS)).padStart(7, "0")}`;
    lines.push(`${runTag}-${i},${member},${(i % 500) + 9}.90,2026-03-${String(1 + (i % 28)).padStart(2, "0")} ${String(9 + (i % 12)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}`);
  }
  const bytes = new TextEncoder().encode(lines.join("\r\n"));
  const mapping = { orderId: "订单号", memberId: "会员编号", amount: "实付金额", paidAt: "支付时间" };
  const t0 = performance.now();
  const { job, run } = await createImportJob(db, merchantId, { kind: "orders", fileName: "bench.csv", file: await saveUpload(bytes), mapping, lanes: LANES }, actor);
  await run();
  const importSeconds = (performance.now() - t0) / 1000;
  const done = await getImportJobOrThrow(db, merchantId, job.id);
  console.log(`import: ${done.status}, applied ${done.applied}, duplicates ${done.duplicates}, rejected ${done.rejected} in ${importSeconds.toFixed(1)} s`);
  await db.execute(sql`analyze`);

  const tz = { timeZone: "Asia/Shanghai", fullPhone: false };
  const filters: Record<string, string>[] = [
    { tier: "gold", lifecycle: "active", sort: "lifetimeSpend", dir: "desc" },
    { lifecycle: "dormant", sort: "lastOrderAt", dir: "asc" },
    { segment: "atRisk", sort: "pointsBalance", dir: "desc" },
    { spendMin: "1000", spendMax: "5000", sort: "lifetimeSpend", dir: "asc" },
    { regFrom: "2025-01-01", regTo: "2025-06-30", sort: "registeredAt", dir: "desc" },
    { tier: "diamond", sort: "registeredAt", dir: "desc" },
    { pointsMin: "5000", sort: "pointsBalance", dir: "desc" },
    { q: "1300", sort: "registeredAt", dir: "desc" },
    { q: "王芳", sort: "registeredAt", dir: "desc" },
    { tier: "silver", lifecycle: "lost", r: "2", sort: "pointsBalance", dir: "desc" },
  ];
  for (const f of filters) await listMembers(db, merchantId, parseMemberListQuery(f), tz); // warm-up
  const listTimes: number[] = [];
  for (let round = 0; round < 10; round++)
    for (const f of filters) {
      const first = await listMembers(db, merchantId, parseMemberListQuery(f), tz);
      listTimes.push(await timeIt(() => listMembers(db, merchantId, parseMemberListQuery(f), tz)));
      // And the following page, by keyset.
      if (first.nextCursor) listTimes.push(await timeIt(() => listMembers(db, merchantId, parseMemberListQuery({ ...f, cursor: first.nextCursor! }), tz)));
    }

  const totalTimes: number[] = [];
  for (let round = 0; round < 5; round++) for (const f of filters) totalTimes.push(await timeIt(() => countMembers(db, merchantId, parseMemberListQuery(f), tz)));
  // Last four digits of members' phones (13 + 9 digits), 100 different ones.
  const last4Times: number[] = [];
  for (let i = 0; i < 100; i++) {
    const f = parseMemberListQuery({ q: String((i * 7919 + 1234) % 10000).padStart(4, "0") });
    last4Times.push(await timeIt(() => listMembers(db, merchantId, f, tz)));
  }

  const withOrders = await queryRows<{ id: string }>(db, sql`select member_id as id from orders where merchant_id = ${merchantId} and member_id is not null order by random() limit 100`);
  const without = await queryRows<{ id: string }>(db, sql`select member_id as id from members where merchant_id = ${merchantId} and member_id like 'B%' order by random() limit 100`);
  const ids = [...withOrders, ...without].map((r) => r.id);
  for (const id of ids.slice(0, 10)) await memberDetail(db, merchantId, id, { fullPhone: false });
  const detailTimes: number[] = [];
  for (const id of ids) detailTimes.push(await timeIt(() => memberDetail(db, merchantId, id, { fullPhone: false })));

  const row = (name: string, xs: number[] | null, target: string, extra = "") =>
    console.log(`| ${name.padEnd(34)} | ${xs ? pct(xs, 50).toFixed(1).padStart(7) : "".padStart(7)} | ${xs ? pct(xs, 95).toFixed(1).padStart(7) : extra.padStart(7)} | ${target.padEnd(10)} |`);
  console.log(`\nmembers workspace, ${MEMBERS.toLocaleString()} members, PostgreSQL\n`);
  console.log("| measure                            | p50 ms  | p95 ms  | target     |");
  console.log("|------------------------------------|---------|---------|------------|");
  row(`list page (${listTimes.length} runs, 10 filters)`, listTimes, "p95 ≤ 100");
  row(`list total (${totalTimes.length} runs)`, totalTimes, "p95 ≤ 100");
  row(`last-4 phone search (${last4Times.length})`, last4Times, "p95 ≤ 100");
  row(`member detail (${detailTimes.length} members)`, detailTimes, "p95 ≤ 50");
  row(`import ${ORDERS.toLocaleString()} order rows`, null, "≤ 60 s", `${importSeconds.toFixed(1)} s`);
  await database.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
