import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/db/client";
import { orders } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { seedMerchantHistory } from "@/lib/seed/generate";
import { metrics, metricNames, type MetricParams } from "@/lib/metrics";
import { fastMetrics, rolledUpMetrics } from "@/lib/metrics/fast";
import { invalidateRollupsFrom, RFM_RECENT_DAYS, refreshDailyAggregates, rollupCoverage } from "@/lib/metrics/rollup";
import { currentProgram, saveProgram, toExport } from "@/lib/program/store";
import { addDays, addMonths } from "@/lib/util/dates";
import { ingestEvents } from "@/lib/engine/ingest";
import { testDatabases } from "../db";

/*
 * The fast path (metric_daily + the raw functions for the days it does not cover) must give the
 * raw functions' answer exactly, for every metric, range and granularity: checked on a seeded
 * merchant (300 members, 6 months of history through the engine, ending 2026-06-30).
 */
describe.each(testDatabases)("fast metrics = raw metrics ($name)", ({ open }) => {
  let database: Database;
  let merchantId: string;
  const END = "2026-06-30";

  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "fast", name: "Fast", demoProgram: true })).id;
    await seedMerchantHistory(database.db, merchantId, { members: 300, months: 6, seed: 7, endDate: END });
  }, 600_000);
  afterAll(() => database.close());

  const ranges: Omit<MetricParams, "merchantId">[] = [
    // The 12 months to the end (the history starts in 2025-12: earlier days hold no data).
    { from: "2025-07-01", to: END, granularity: "month" },
    { from: "2026-03-04", to: "2026-06-27", granularity: "week" },
    { from: "2026-05-01", to: "2026-05-31", granularity: "day" },
    { from: "2026-06-01", to: END, granularity: "day" },
  ];

  async function expectSame(params: MetricParams) {
    for (const name of metricNames) {
      const [fast, raw] = await Promise.all([fastMetrics[name](database.db, params), metrics[name](database.db, params)]);
      expect(fast, `${name} ${params.from}..${params.to} ${params.granularity}`).toEqual(raw);
    }
  }

  it("the seed made real history to compare on", async () => {
    const rows = await database.db.select({ n: orders.orderId }).from(orders);
    expect(rows.length).toBeGreaterThan(300);
  });

  it("before any rollup the fast path is the raw path", async () => {
    expect(await rollupCoverage(database.db, merchantId)).toBeNull();
    await expectSame({ merchantId, ...ranges[0] });
  });

  it("with the rollups through 2026-06-25: covered days from metric_daily, the last five days raw", async () => {
    const cov = await refreshDailyAggregates(database.db, merchantId, "2026-06-25");
    expect(cov.throughDate).toBe("2026-06-25");
    // A first refresh starts at the merchant's earliest data: the first member's joining (tier_history)
    // day or the first (guest) order, whichever is earlier.
    const [first] = await queryRows<{ d: string }>(
      database.db,
      sql`select least((select min(business_date) from tier_history where merchant_id = ${merchantId}),
                       (select min(business_date) from orders where merchant_id = ${merchantId}))::text as d`,
    );
    expect(cov.firstDate).toBe(first.d);
    expect(cov.firstDate >= "2025-12-30" && cov.firstDate < "2026-02-01").toBe(true);
    for (const r of ranges) await expectSame({ merchantId, ...r });
  }, 600_000);

  it("after refreshing through the end; with a tier filter for each tier", async () => {
    const cov = await refreshDailyAggregates(database.db, merchantId, END);
    expect(cov.throughDate).toBe(END);
    for (const r of ranges) await expectSame({ merchantId, ...r });
    const tiers = (await currentProgram(database.db, merchantId)).tiers.map((t) => t.code);
    expect(tiers).toEqual(["basic", "silver", "gold", "diamond"]);
    for (const tier of tiers) for (const r of ranges) await expectSame({ merchantId, ...r, tier });
  }, 900_000);

  it("a range ending on a day the rollups do not cover yet, with events arriving between reads", async () => {
    const db = database.db;
    expect((await rollupCoverage(db, merchantId))?.throughDate).toBe(END);
    const day = addDays(END, 1);
    const [buyer, other] = await queryRows<{ member_id: string }>(
      db,
      sql`select member_id from orders where merchant_id = ${merchantId} and member_id is not null and business_date between '2026-06-01' and ${END}::date
          group by member_id order by member_id limit 2`,
    );
    const [right] = await queryRows<{ member_id: string; grant_id: string }>(
      db,
      sql`select member_id, grant_id from right_instances where merchant_id = ${merchantId} and redeemed_at is null
          and (expires_at is null or expires_at > ${`${day}T23:00:00+08:00`}::timestamptz) order by issued_date, grant_id limit 1`,
    );
    const [lastOrder] = await queryRows<{ order_id: string; member_id: string }>(
      db,
      sql`select order_id, member_id from orders where merchant_id = ${merchantId} and member_id is not null and business_date = ${END}::date order by order_id limit 1`,
    );
    expect(buyer && other && right && lastOrder).toBeTruthy();
    const at = (time: string) => `${day}T${time}:00+08:00`;
    const batches = [
      [{ id: "open-o1", type: "order.paid", occurredAt: at("09:00"), memberId: buyer.member_id, data: { orderId: "open-o1", amount: 8_800 } }],
      [
        { id: "open-reg", type: "member.registered", occurredAt: at("10:00"), memberId: "OPEN-NEW", data: {} },
        { id: "open-o2", type: "order.paid", occurredAt: at("10:30"), memberId: "OPEN-NEW", data: { orderId: "open-o2", amount: 3_300 } },
        { id: "open-g", type: "order.paid", occurredAt: at("10:40"), memberId: null, data: { orderId: "open-g", amount: 1_200 } },
      ],
      [
        { id: "open-o3", type: "order.paid", occurredAt: at("11:00"), memberId: buyer.member_id, data: { orderId: "open-o3", amount: 5_000 } },
        { id: "open-o4", type: "order.paid", occurredAt: at("11:30"), memberId: other.member_id, data: { orderId: "open-o4", amount: 200_000 } },
        { id: "open-ref", type: "order.refunded", occurredAt: at("12:00"), memberId: lastOrder.member_id, data: { orderId: lastOrder.order_id, amount: 100 } },
        { id: "open-r", type: "right.redeemed", occurredAt: at("13:00"), memberId: right.member_id, data: { grantId: right.grant_id } },
      ],
    ];
    const params = (tier: string | null) => ({ merchantId, from: addDays(addMonths(day, -12), 1), to: day, granularity: "month" as const, tier });
    await expectSame(params(null));
    for (const batch of batches) {
      const results = await ingestEvents(db, merchantId, batch);
      expect(results.map((r) => r.status)).not.toContain("rejected");
      expect((await rollupCoverage(db, merchantId))?.throughDate).toBe(END);
      for (const tier of [null, "basic", "silver", "gold"]) await expectSame(params(tier));
    }
    // The day's answer moved with the events (so the uncovered day was really read).
    const share = await fastMetrics["revenue-share"](db, { ...params(null), from: day });
    expect((share.total as { guestSpend: number }).guestSpend).toBeGreaterThanOrEqual(1_200);
    const life = await fastMetrics.lifecycle(db, { ...params(null), from: day });
    expect((life.total as { new: number }).new).toBeGreaterThan(0);
  }, 900_000);

  it("the rolled-up metrics really read metric_daily: zeroing a covered day changes their answer", async () => {
    const params = { merchantId, from: "2026-05-01", to: "2026-05-31", granularity: "month" as const };
    const before = await fastMetrics["revenue-share"](database.db, params);
    await database.db.execute(
      // A guest-spend bump on one covered day shows up in the fast answer only.
      sql`update metric_daily set guest_spend = guest_spend + 12345 where merchant_id = ${merchantId} and business_date = '2026-05-10'`,
    );
    const after = await fastMetrics["revenue-share"](database.db, params);
    expect((after.total as { guestSpend: number }).guestSpend - (before.total as { guestSpend: number }).guestSpend).toBe(12345);
    expect(rolledUpMetrics).toContain("revenue-share");
    await refreshDailyAggregates(database.db, merchantId, "2026-05-10");
    expect(await fastMetrics["revenue-share"](database.db, params)).toEqual(before);
  }, 600_000);

  it("the set-based rebuild writes exactly the raw functions' answers day by day, for everyone and each tier", async () => {
    const db = database.db;
    // A second program version from 2026-04-15 with other lifecycle day counts: each day's lifecycle
    // uses the version in force that day.
    const program = await currentProgram(db, merchantId);
    await saveProgram(db, merchantId, { ...toExport(program), lifecycle: { newDays: 14, dormantDays: 45, lostDays: 75 } }, { effectiveFrom: new Date("2026-04-15T00:00:00+08:00") });
    // From scratch (earlier refreshes left RFM snapshots that a rebuild keeps).
    await db.execute(sql`delete from metric_rollup_state where merchant_id = ${merchantId}`);
    await db.execute(sql`delete from metric_daily where merchant_id = ${merchantId}`);
    const cov = await refreshDailyAggregates(db, merchantId, END);
    const rows = await queryRows<Record<string, unknown>>(
      db,
      sql`select business_date::text as d, tier, member_spend, guest_spend, rights_cost, points_issued, points_redeemed, points_expired,
                 points_outstanding, tiers, lifecycle_new, lifecycle_active, lifecycle_dormant, lifecycle_lost, rfm
          from metric_daily where merchant_id = ${merchantId} order by 1, 2`,
    );
    const days: string[] = [];
    for (let d = cov.firstDate; d <= END; d = addDays(d, 1)) days.push(d);
    const tiers = program.tiers.map((t) => t.code);
    expect(rows.length).toBe(days.length * (1 + tiers.length));
    // RFM snapshots: the month ends and the last RFM_RECENT_DAYS days.
    const rfmDays = rows.filter((r) => r.tier === "" && r.rfm !== null).map((r) => String(r.d));
    expect(rfmDays).toEqual(days.filter((d) => addDays(d, 1).endsWith("-01") || d > addDays(END, -RFM_RECENT_DAYS)));
    const byKey = new Map(rows.map((r) => [`${String(r.d)}|${String(r.tier)}`, r]));
    const n = (v: unknown) => Number(v);
    for (const tier of [null, ...tiers]) {
      // The independent route: the raw functions over the whole history by day (one query each).
      const params = { merchantId, from: cov.firstDate, to: END, granularity: "day" as const, tier };
      const [share, cost, pts, dist, life, scores] = [
        await metrics["revenue-share"](db, params),
        await metrics["rights-cost"](db, params),
        await metrics["points"](db, params),
        await metrics["tier-distribution"](db, params),
        await metrics["lifecycle"](db, params),
        await metrics["rfm"](db, params),
      ];
      for (const [i, d] of days.entries()) {
        const row = byKey.get(`${d}|${tier ?? ""}`);
        const label = `${d} ${tier ?? "all"}`;
        expect(row, label).toBeDefined();
        if (!row) continue;
        expect(
          {
            memberSpend: n(row.member_spend),
            guestSpend: n(row.guest_spend),
            rightsCost: n(row.rights_cost),
            issued: n(row.points_issued),
            redeemed: n(row.points_redeemed),
            expired: n(row.points_expired),
            outstanding: n(row.points_outstanding),
            tiers: row.tiers,
            lifecycle: [n(row.lifecycle_new), n(row.lifecycle_active), n(row.lifecycle_dormant), n(row.lifecycle_lost)],
          },
          label,
        ).toEqual({
          memberSpend: share.series[i].memberSpend,
          guestSpend: share.series[i].guestSpend,
          rightsCost: cost.series[i].rightsCost,
          issued: pts.series[i].issued,
          redeemed: pts.series[i].redeemed,
          expired: pts.series[i].expired,
          outstanding: pts.series[i].outstanding,
          tiers: Object.fromEntries(Object.entries(dist.series[i]).filter(([k, v]) => k !== "period" && v !== 0)),
          lifecycle: [life.series[i].new, life.series[i].active, life.series[i].dormant, life.series[i].lost],
        });
        if (row.rfm !== null) {
          const { period, ...raw } = scores.series[i];
          expect(period).toBe(d);
          expect(row.rfm, label).toEqual(raw);
        }
      }
    }
    // The day counts really changed on 2026-04-15 (so both versions were exercised).
    const lifeAll = await metrics["lifecycle"](db, { merchantId, from: "2026-04-14", to: "2026-04-15", granularity: "day" });
    expect(lifeAll.series[0].new).not.toBe(lifeAll.series[1].new);
    // And the fast path agrees with the raw one on a range across the change.
    await expectSame({ merchantId, from: "2026-03-01", to: END, granularity: "week" });
    await expectSame({ merchantId, from: "2026-03-01", to: END, granularity: "week", tier: "gold" });
  }, 900_000);

  it("the period job's day by day refresh (states from the previous day's rows) writes what the rebuild from scratch wrote", async () => {
    const db = database.db;
    const dump = () =>
      queryRows<Record<string, unknown>>(
        db,
        sql`select business_date::text as d, tier, member_spend, guest_spend, rights_cost, points_issued, points_redeemed, points_expired,
                   points_outstanding, tiers, lifecycle_new, lifecycle_active, lifecycle_dormant, lifecycle_lost, rfm
            from metric_daily where merchant_id = ${merchantId} order by 1, 2`,
      );
    // The previous test rebuilt every day from scratch (its rows equal the raw functions day by day).
    const scratch = await dump();
    expect(scratch.length).toBeGreaterThan(900);
    // Days from 2026-04-10 on made stale (as a backdated event would), then closed one by one as the
    // period job does: across the program version of 2026-04-15 (other lifecycle day counts: that day
    // recomputes the running sums) and a month end.
    await invalidateRollupsFrom(db, merchantId, "2026-04-10");
    expect((await rollupCoverage(db, merchantId))?.throughDate).toBe("2026-04-09");
    const routes = new Map<string, string>();
    for (let d = "2026-04-10"; d <= END; d = addDays(d, 1))
      await refreshDailyAggregates(db, merchantId, d, d, {
        onPhase: (phase) => {
          if (phase.startsWith("states") || phase === "lifecycle") routes.set(d, phase.startsWith("states") ? "forward" : "scratch");
        },
      });
    expect(routes.get("2026-04-15")).toBe("scratch");
    expect([...routes.values()].filter((r) => r === "forward").length).toBe(routes.size - 1);
    const forward = await dump();
    expect(forward.length).toBe(scratch.length);
    // The period job snapshots RFM on every day it closes; the rebuild only on month ends and the last days.
    for (const [i, row] of forward.entries()) {
      const { rfm, ...rest } = row;
      const { rfm: rfm0, ...rest0 } = scratch[i];
      expect(rest, `${String(row.d)} ${String(row.tier)}`).toEqual(rest0);
      if (rfm0 !== null) expect(rfm, `${String(row.d)} ${String(row.tier)} rfm`).toEqual(rfm0);
    }
  }, 900_000);
});
