import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type Database, type Db } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { seedMerchantHistory } from "@/lib/seed/generate";
import { ingestEvents } from "@/lib/engine/ingest";
import { metrics, type MetricName, type MetricParams } from "@/lib/metrics";
import { distinctCoverage, fastDistinctMetrics, refreshDistinctAggregates } from "@/lib/metrics/fast-distinct";
import { addDays } from "@/lib/util/dates";
import { testDatabases } from "../db";

/*
 * The fast paths of the range-distinct metrics (lib/metrics/fast-distinct.ts) must give the raw
 * functions' answer exactly, for any range, granularity and tier filter, with days after the
 * aggregates' last day read raw: checked on a seeded merchant (300 members, 6 months of history
 * through the engine, ending 2026-06-30), then with events after the last refresh.
 */
const NAMES: MetricName[] = ["repurchase", "arpu", "tier-changes", "rights-usage", "retention"];
const TIERS = [null, "basic", "silver", "gold", "diamond"];
const END = "2026-06-30";

async function aggregates(db: Db, merchantId: string) {
  const q = (table: string, order: string) =>
    queryRows(db, sql`select * from ${sql.identifier(table)} where merchant_id = ${merchantId} order by ${sql.raw(order)}`);
  const [state] = await queryRows(db, sql`select first_date::text, through_date::text, signature from metric_distinct_state where merchant_id = ${merchantId}`);
  return {
    state,
    pairs: await q("metric_event_pairs", "kind, tier, a, x"),
    tierDaily: await q("metric_tier_daily", "tier, business_date"),
    rights: await q("metric_rights_daily", "tier, issued_date, right_code"),
    retention: await q("metric_retention_daily", "tier, f, r"),
  };
}

describe.each(testDatabases)("fast range-distinct metrics = raw metrics ($name)", ({ open }) => {
  let database: Database;
  let merchantId: string;

  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "distinct", name: "Distinct", demoProgram: true })).id;
    await seedMerchantHistory(database.db, merchantId, { members: 300, months: 6, seed: 7, endDate: END });
  }, 600_000);
  afterAll(() => database.close());

  async function expectSame(ranges: Omit<MetricParams, "merchantId" | "tier">[]) {
    for (const r of ranges)
      for (const tier of TIERS)
        for (const name of NAMES) {
          const params = { merchantId, ...r, tier };
          const [fast, raw] = [await fastDistinctMetrics[name]!(database.db, params), await metrics[name](database.db, params)];
          expect(fast, `${name} ${r.from}..${r.to} ${r.granularity} tier ${tier ?? "-"}`).toEqual(raw);
        }
  }

  it("the seed made the history these metrics need", async () => {
    const [row] = await queryRows<{ orders: number; tiers: number; moves: number; redeemed: number; rights_tiers: number }>(
      database.db,
      sql`select (select count(*) from orders where merchant_id = ${merchantId} and member_id is not null)::int as orders,
                 (select count(distinct tier_at_order) from orders where merchant_id = ${merchantId})::int as tiers,
                 (select count(*) from tier_history where merchant_id = ${merchantId} and direction in ('up', 'down'))::int as moves,
                 (select count(*) from right_instances where merchant_id = ${merchantId} and redeemed_at is not null)::int as redeemed,
                 (select count(distinct tier_code) from right_instances where merchant_id = ${merchantId})::int as rights_tiers`,
    );
    expect(row.orders).toBeGreaterThan(300);
    expect(row.tiers).toBeGreaterThanOrEqual(2);
    expect(row.moves).toBeGreaterThan(10);
    expect(row.redeemed).toBeGreaterThan(10);
    expect(row.rights_tiers).toBeGreaterThanOrEqual(1);
  });

  it("before any refresh the fast path is the raw path", async () => {
    expect(await distinctCoverage(database.db, merchantId)).toBeNull();
    await expectSame([{ from: "2025-07-01", to: END, granularity: "month" }]);
  }, 600_000);

  it("aggregates through 2026-06-25, the last five days raw: 12 months by month, a custom range by week, 10 days by day", async () => {
    const cov = await refreshDistinctAggregates(database.db, merchantId, "2026-06-25");
    expect(cov.throughDate).toBe("2026-06-25");
    // Members who bought on covered days and again on uncovered ones (each must count once).
    const [both] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(distinct a.member_id)::int as n from orders a join orders b on b.merchant_id = a.merchant_id and b.member_id = a.member_id
          where a.merchant_id = ${merchantId} and a.business_date between '2026-06-01' and '2026-06-25' and b.business_date > '2026-06-25'`,
    );
    expect(both.n).toBeGreaterThan(0);
    await expectSame([
      { from: "2025-07-01", to: END, granularity: "month" },
      { from: "2026-03-04", to: "2026-06-27", granularity: "week" },
      { from: "2026-06-18", to: "2026-06-27", granularity: "day" },
      { from: "2026-06-27", to: END, granularity: "day" },
    ]);
  }, 900_000);

  it("day-by-day refreshes give the same aggregates as a rebuild from scratch", async () => {
    for (let d = "2026-06-26"; d <= END; d = addDays(d, 1)) await refreshDistinctAggregates(database.db, merchantId, d);
    const incremental = await aggregates(database.db, merchantId);
    expect(incremental.state).toMatchObject({ through_date: END });
    expect(incremental.pairs.length).toBeGreaterThan(1000);
    expect(incremental.retention.length).toBeGreaterThan(100);
    await database.db.execute(sql`delete from metric_distinct_state where merchant_id = ${merchantId}`);
    await refreshDistinctAggregates(database.db, merchantId, END);
    expect(await aggregates(database.db, merchantId)).toEqual(incremental);
    // A refresh from an earlier day (a backdated correction) recomputes from there: same again.
    await refreshDistinctAggregates(database.db, merchantId, "2026-04-15");
    expect(await aggregates(database.db, merchantId)).toEqual(incremental);
  }, 900_000);

  it("fully covered: the fast path reads the aggregates (a tampered row shows)", async () => {
    await expectSame([
      { from: "2025-07-01", to: END, granularity: "month" },
      { from: "2026-03-04", to: "2026-06-27", granularity: "week" },
      { from: "2026-01-13", to: "2026-01-22", granularity: "day" },
    ]);
    const params = { merchantId, from: "2026-05-01", to: "2026-05-31", granularity: "month" as const };
    const before = await fastDistinctMetrics.repurchase!(database.db, params);
    await database.db.execute(
      sql`update metric_event_pairs set firsts = firsts + 1000 where merchant_id = ${merchantId} and kind = 'order' and tier = '*' and a = '2026-05-01'`,
    );
    const after = await fastDistinctMetrics.repurchase!(database.db, params);
    expect((after.total as { buyers: number }).buyers - (before.total as { buyers: number }).buyers).toBe(1000);
    await refreshDistinctAggregates(database.db, merchantId, "2026-05-01");
    expect(await fastDistinctMetrics.repurchase!(database.db, params)).toEqual(before);
  }, 900_000);

  it("events after the last refresh: a June buyer buys again, a new member buys twice, an old right is redeemed", async () => {
    const db = database.db;
    const [buyer] = await queryRows<{ member_id: string }>(
      db,
      sql`select member_id from orders where merchant_id = ${merchantId} and member_id is not null and business_date between '2026-06-01' and '2026-06-20'
          order by member_id limit 1`,
    );
    const [right] = await queryRows<{ member_id: string; grant_id: string; issued_date: string }>(
      db,
      sql`select member_id, grant_id, issued_date::text from right_instances where merchant_id = ${merchantId} and redeemed_at is null
          and (expires_at is null or expires_at > '2026-07-02') order by issued_date, grant_id limit 1`,
    );
    expect(buyer && right).toBeTruthy();
    const at = (time: string) => `2026-07-01T${time}:00+08:00`;
    const results = await ingestEvents(db, merchantId, [
      { id: "late-o1", type: "order.paid", occurredAt: at("10:00"), memberId: buyer.member_id, data: { orderId: "late-o1", amount: 12_300 } },
      { id: "late-reg", type: "member.registered", occurredAt: at("11:00"), memberId: "LATE-NEW", data: {} },
      { id: "late-o2", type: "order.paid", occurredAt: at("11:30"), memberId: "LATE-NEW", data: { orderId: "late-o2", amount: 4_500 } },
      { id: "late-o3", type: "order.paid", occurredAt: at("12:30"), memberId: "LATE-NEW", data: { orderId: "late-o3", amount: 6_600 } },
      { id: "late-r", type: "right.redeemed", occurredAt: at("13:00"), memberId: right.member_id, data: { grantId: right.grant_id } },
    ]);
    expect(results.map((r) => r.status)).not.toContain("rejected");
    expect((await distinctCoverage(db, merchantId))?.throughDate).toBe(END);
    await expectSame([
      { from: "2025-08-01", to: "2026-07-01", granularity: "month" },
      { from: "2026-06-10", to: "2026-07-01", granularity: "week" },
      { from: "2026-06-22", to: "2026-07-01", granularity: "day" },
      { from: right.issued_date, to: "2026-07-01", granularity: "month" },
    ]);
    // The June buyer counts once over June–July; the new member is a repeat buyer on 07-01.
    const july = await fastDistinctMetrics.repurchase!(db, { merchantId, from: "2026-07-01", to: "2026-07-01", granularity: "day" });
    expect(july.total).toMatchObject({ buyers: 2, repeatBuyers: 1 });
    // Refreshing 07-01 moves it into the aggregates without changing any answer.
    await refreshDistinctAggregates(db, merchantId, "2026-07-01");
    await expectSame([{ from: "2026-06-10", to: "2026-07-01", granularity: "week" }]);
  }, 900_000);

  it("a backdated event: the days the engine marks stale are read raw until the refresh from that day", async () => {
    const db = database.db;
    // The engine marks stale days in metric_rollup_state (as it does after refreshDailyAggregates).
    const cov = (await distinctCoverage(db, merchantId))!;
    await db.execute(sql`insert into metric_rollup_state (merchant_id, first_date, through_date) values (${merchantId}, ${cov.firstDate}::date, ${cov.throughDate}::date)`);
    const [right] = await queryRows<{ member_id: string; grant_id: string }>(
      db,
      sql`select member_id, grant_id from right_instances where merchant_id = ${merchantId} and redeemed_at is null and issued_date < '2026-06-01'
          and (expires_at is null or expires_at > '2026-06-16') order by issued_date desc, grant_id limit 1`,
    );
    const [buyer] = await queryRows<{ member_id: string }>(
      db,
      sql`select member_id from orders where merchant_id = ${merchantId} and member_id is not null and business_date between '2026-05-01' and '2026-06-10'
          order by member_id desc limit 1`,
    );
    const results = await ingestEvents(db, merchantId, [
      { id: "back-o", type: "order.paid", occurredAt: "2026-06-15T10:00:00+08:00", memberId: buyer.member_id, data: { orderId: "back-o", amount: 7_700 } },
      { id: "back-r", type: "right.redeemed", occurredAt: "2026-06-15T11:00:00+08:00", memberId: right.member_id, data: { grantId: right.grant_id } },
    ]);
    expect(results.map((r) => r.status)).not.toContain("rejected");
    const ranges = [
      { from: "2025-08-01", to: "2026-07-01", granularity: "month" as const },
      { from: "2026-06-10", to: "2026-07-01", granularity: "week" as const },
    ];
    await expectSame(ranges);
    // The engine marked our own state stale from that day (among the batch's writes), and the refresh from that day makes it current again.
    expect((await distinctCoverage(db, merchantId))?.throughDate).toBe("2026-06-14");
    await db.execute(sql`delete from metric_rollup_state where merchant_id = ${merchantId}`);
    await expectSame([ranges[1]]);
    await refreshDistinctAggregates(db, merchantId, "2026-07-01");
    await expectSame(ranges);
    const refreshed = await aggregates(db, merchantId);
    await db.execute(sql`delete from metric_distinct_state where merchant_id = ${merchantId}`);
    await refreshDistinctAggregates(db, merchantId, "2026-07-01");
    expect(await aggregates(db, merchantId)).toEqual(refreshed);
  }, 900_000);
});
