import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { seedMerchantHistory } from "@/lib/seed/generate";
import { ingestEvents } from "@/lib/engine/ingest";
import { runPeriodJob } from "@/lib/engine/period";
import { metrics, metricNames, type MetricParams } from "@/lib/metrics";
import { fastMetrics, lastRfmRoute } from "@/lib/metrics/fast";
import { extendAggregates, refreshAggregates } from "@/lib/metrics/aggregates";
import { dropOpenDay, OPEN_LOG_KEYS_REFRESH, OPEN_LOG_REFRESH, openState, refreshOpenDay } from "@/lib/metrics/open-day";
import { rollupCoverage } from "@/lib/metrics/rollup";
import { addDays, addMonths, businessDate } from "@/lib/util/dates";
import { currentProgram } from "@/lib/program/store";
import { adjustMember } from "@/lib/members/points-ops";
import { setTierManually } from "@/lib/members/operator-actions";
import { testDatabases } from "../db";

/*
 * The open day (lib/metrics/open-day.ts): a range ending on a day after the aggregates (today, before
 * the period job closes it) must give the raw functions' answer exactly — from the open day's sums,
 * with the keys the engine logged since the last refresh recomputed — while events keep arriving;
 * an incremental refresh must leave what a build from scratch builds.
 */
const END = "2026-06-30";
const DAY = addDays(END, 1);
const TIERS = [null, "basic", "silver", "gold", "diamond"];

describe.each(testDatabases)("the open day: fast = raw on a day the aggregates do not cover ($name)", ({ open }) => {
  let database: Database;
  let merchantId: string;

  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "open-day", name: "Open", demoProgram: true })).id;
    await seedMerchantHistory(database.db, merchantId, { members: 300, months: 6, seed: 7, endDate: END });
  }, 600_000);
  afterAll(() => database.close());

  const ranges = (to: string): Omit<MetricParams, "merchantId" | "tier">[] => [
    { from: addDays(addMonths(to, -12), 1), to, granularity: "month" },
    { from: addDays(to, -20), to, granularity: "week" },
    { from: addDays(to, -3), to, granularity: "day" },
  ];

  /**
   * Every metric, fast = raw, for ranges ending `to`; `rfmRoute`: the route rfm must have taken for
   * its periods ending on the open day ("open": the open day's RFM summary, rfm-open.ts; "raw").
   */
  async function expectSame(to: string, tiers = TIERS, rfmRoute: "open" | "raw" | null = "open") {
    for (const r of ranges(to))
      for (const tier of tiers)
        for (const name of metricNames) {
          const params = { merchantId, ...r, tier };
          lastRfmRoute.route = null;
          const [fast, raw] = [await fastMetrics[name](database.db, params), await metrics[name](database.db, params)];
          expect(fast, `${name} ${r.from}..${r.to} ${r.granularity} tier ${tier ?? "-"}`).toEqual(raw);
          if (name === "rfm" && rfmRoute) expect(lastRfmRoute.route, `rfm route ${r.granularity} tier ${tier ?? "-"}`).toBe(rfmRoute);
        }
  }
  const rfmBaseDate = async () =>
    (await queryRows<{ d: string }>(database.db, sql`select through_date::text as d from metric_rfm_base_state where merchant_id = ${merchantId}`))[0]?.d;

  const sums = () =>
    queryRows(database.db, sql`select kind, bucket, d::text, v::text, k, n::bigint::text as n from metric_open_sums where merchant_id = ${merchantId} order by 1, 2, 3, 4, 5`);
  const logRows = async () =>
    (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from metric_open_log where merchant_id = ${merchantId}`))[0].n;

  /** Orders of the open day by existing members (one of them twice), a new member, a guest, a refund, a redemption: one engine batch each. */
  async function eventBatches(day: string, tag: string) {
    const db = database.db;
    const buyers = await queryRows<{ member_id: string }>(
      db,
      sql`select member_id from orders where merchant_id = ${merchantId} and member_id is not null and business_date between ${addDays(day, -40)}::date and ${addDays(day, -1)}::date
          group by member_id order by md5(member_id || ${tag}) limit 3`,
    );
    const [right] = await queryRows<{ member_id: string; grant_id: string }>(
      db,
      sql`select member_id, grant_id from right_instances where merchant_id = ${merchantId} and redeemed_at is null
          and (expires_at is null or expires_at > ${`${day}T23:00:00+08:00`}::timestamptz) order by md5(grant_id || ${tag}) limit 1`,
    );
    const [refunded] = await queryRows<{ order_id: string; member_id: string }>(
      db,
      sql`select order_id, member_id from orders where merchant_id = ${merchantId} and member_id is not null and business_date = ${addDays(day, -1)}::date
            and refunded_amount = 0 order by md5(order_id || ${tag}) limit 1`,
    );
    expect(buyers.length === 3 && right && refunded).toBeTruthy();
    const at = (time: string) => `${day}T${time}:00+08:00`;
    const id = (x: string) => `${tag}-${x}`;
    return [
      [{ id: id("o1"), type: "order.paid", occurredAt: at("09:00"), memberId: buyers[0].member_id, data: { orderId: id("o1"), amount: 8_800 } }],
      [
        { id: id("reg"), type: "member.registered", occurredAt: at("10:00"), memberId: id("NEW"), data: {} },
        { id: id("o2"), type: "order.paid", occurredAt: at("10:30"), memberId: id("NEW"), data: { orderId: id("o2"), amount: 3_300 } },
        { id: id("g"), type: "order.paid", occurredAt: at("10:40"), memberId: null, data: { orderId: id("g"), amount: 1_200 } },
      ],
      [
        { id: id("o3"), type: "order.paid", occurredAt: at("11:00"), memberId: buyers[0].member_id, data: { orderId: id("o3"), amount: 5_000 } },
        { id: id("o4"), type: "order.paid", occurredAt: at("11:30"), memberId: buyers[1].member_id, data: { orderId: id("o4"), amount: 400_000 } },
        { id: id("ref"), type: "order.refunded", occurredAt: at("12:00"), memberId: refunded.member_id, data: { orderId: refunded.order_id, amount: 100 } },
        { id: id("r"), type: "right.redeemed", occurredAt: at("13:00"), memberId: right.member_id, data: { grantId: right.grant_id } },
      ],
      // An order stamped earlier than one already applied (events arrive out of order).
      [{ id: id("o5"), type: "order.paid", occurredAt: at("08:00"), memberId: buyers[0].member_id, data: { orderId: id("o5"), amount: 2_000 } }],
      [{ id: id("g2"), type: "order.paid", occurredAt: at("14:00"), memberId: null, data: { orderId: id("g2"), amount: 900 } }],
    ];
  }

  it("refreshAggregates keeps the day after the aggregates as the open day", async () => {
    await refreshAggregates(database.db, merchantId, END);
    expect(await openState(database.db, merchantId)).toMatchObject({ throughDate: END, openDate: DAY, ready: true });
    expect(await rfmBaseDate()).toBe(END);
    // Before any event of the day: the states at its end still move (members leaving 'new', going dormant or lost).
    await expectSame(DAY);
  }, 900_000);

  it("events arriving between reads: each read is exact (the logged keys recomputed), a refresh consumes the log", async () => {
    const db = database.db;
    for (const [i, batch] of (await eventBatches(DAY, "a")).entries()) {
      const results = await ingestEvents(db, merchantId, batch);
      expect(results.map((r) => r.status)).not.toContain("rejected");
      expect(await logRows()).toBe(i + 1);
      await expectSame(DAY, i % 2 === 0 ? TIERS : [null, "gold"]);
    }
    // The day really moved: the guests' spend and a second order of one member.
    const share = await fastMetrics["revenue-share"](db, { merchantId, from: DAY, to: DAY, granularity: "day" });
    expect((share.total as { guestSpend: number }).guestSpend).toBe(2_100);
    const rep = await fastMetrics.repurchase(db, { merchantId, from: DAY, to: DAY, granularity: "day" });
    expect((rep.total as { repeatBuyers: number }).repeatBuyers).toBe(1);
    expect(await refreshOpenDay(db, merchantId)).toBeGreaterThan(0);
    expect(await logRows()).toBe(0);
    await expectSame(DAY);
  }, 900_000);

  it("an incremental refresh leaves the sums a build from scratch builds", async () => {
    const db = database.db;
    for (const batch of await eventBatches(DAY, "b")) await ingestEvents(db, merchantId, batch);
    await refreshOpenDay(db, merchantId);
    const incremental = await sums();
    expect(incremental.length).toBeGreaterThan(40);
    await dropOpenDay(db, merchantId);
    expect(await refreshOpenDay(db, merchantId, DAY)).toBeGreaterThan(10);
    expect(await sums()).toEqual(incremental);
    // The fast path really reads the sums: a tampered row shows in the answer.
    const params = { merchantId, from: DAY, to: DAY, granularity: "day" as const };
    const before = await fastMetrics["revenue-share"](db, params);
    await db.execute(sql`update metric_open_sums set n = n + 1000 where merchant_id = ${merchantId} and kind = 'gs' and bucket = '*' and d = ${DAY}::date`);
    const after = await fastMetrics["revenue-share"](db, params);
    expect((after.total as { guestSpend: number }).guestSpend - (before.total as { guestSpend: number }).guestSpend).toBe(1000);
    await dropOpenDay(db, merchantId);
    await refreshOpenDay(db, merchantId, DAY);
    expect(await fastMetrics["revenue-share"](db, params)).toEqual(before);
  }, 900_000);

  it("a reader refreshes first once many batches are logged", async () => {
    const db = database.db;
    const [member] = await queryRows<{ member_id: string }>(db, sql`select member_id from members where merchant_id = ${merchantId} order by member_id limit 1`);
    for (let i = 0; i <= OPEN_LOG_REFRESH; i++)
      await ingestEvents(db, merchantId, [
        { id: `many-${i}`, type: "order.paid", occurredAt: `${DAY}T15:${String(i % 60).padStart(2, "0")}:00+08:00`, memberId: member.member_id, data: { orderId: `many-${i}`, amount: 100 + i } },
      ]);
    expect(await logRows()).toBe(OPEN_LOG_REFRESH + 1);
    await expectSame(DAY, [null]);
    expect(await logRows()).toBe(0);
  }, 900_000);

  it("rfm on the open day reads its summary: a tampered summary shows in the answer", async () => {
    const db = database.db;
    const params = { merchantId, from: DAY, to: DAY, granularity: "day" as const };
    const before = (await fastMetrics.rfm(db, params)).total as { members: number; grid: number[][] };
    expect(lastRfmRoute.route).toBe("open");
    expect(before).toEqual((await metrics.rfm(db, params)).total);
    // 1000 members more with a last order before every real one, and one order each.
    await db.execute(sql`update metric_open_rfm set joint = jsonb_build_array(jsonb_build_array(-1, 1, 1000)) || joint where merchant_id = ${merchantId} and bucket = '*'`);
    const after = (await fastMetrics.rfm(db, params)).total as { members: number; grid: number[][] };
    expect(after.members).toBe(before.members + 1000);
    expect(after.grid[0][0]).toBeGreaterThanOrEqual(1000);
    await dropOpenDay(db, merchantId);
    await refreshOpenDay(db, merchantId, DAY);
    expect((await fastMetrics.rfm(db, params)).total).toEqual(before);
  }, 900_000);

  it("rfm with windows too small for the changes since the refresh: the raw route, exact; a refresh brings the summary back", async () => {
    const db = database.db;
    // K = 0: each window holds the boundary's value alone; the batches' members move the boundaries off it.
    await dropOpenDay(db, merchantId);
    await refreshOpenDay(db, merchantId, DAY, { rfmWindow: 0 });
    await expectSame(DAY, [null, "gold"], "open");
    for (const batch of await eventBatches(DAY, "k")) await ingestEvents(db, merchantId, batch);
    await expectSame(DAY, [null], "raw");
    await refreshOpenDay(db, merchantId);
    await expectSame(DAY, [null, "gold"], "open");
  }, 900_000);

  it("a reader refreshes first once many keys are logged (RFM's windows)", async () => {
    const db = database.db;
    const members = await queryRows<{ member_id: string }>(
      db,
      sql`select member_id from members where merchant_id = ${merchantId} order by member_id limit ${OPEN_LOG_KEYS_REFRESH + 1}`,
    );
    expect(members.length).toBe(OPEN_LOG_KEYS_REFRESH + 1);
    // One logged batch (as the engine logs it) with more keys than the threshold.
    await db.execute(sql`insert into metric_open_log (merchant_id, keys) values (${merchantId}, ${JSON.stringify(members.map((m) => `m:${m.member_id}`))}::jsonb)`);
    expect(await logRows()).toBe(1);
    await expectSame(DAY, [null]);
    expect(await logRows()).toBe(0);
  }, 900_000);

  it("a backdated event: the aggregates end earlier, the open day no longer serves, answers stay exact", async () => {
    const db = database.db;
    const [buyer] = await queryRows<{ member_id: string }>(db, sql`select member_id from orders where merchant_id = ${merchantId} and member_id is not null order by member_id desc limit 1`);
    await ingestEvents(db, merchantId, [{ id: "back-o", type: "order.paid", occurredAt: `${END}T10:00:00+08:00`, memberId: buyer.member_id, data: { orderId: "back-o", amount: 7_700 } }]);
    expect((await rollupCoverage(db, merchantId))?.throughDate).toBe(addDays(END, -1));
    // The base is for END, the rollups end before: RFM asks the raw function.
    await expectSame(DAY, [null, "silver"], "raw");
    // Both aggregates through END again (the base rewritten), the open day not refreshed yet: its RFM
    // summary was built on the base before the event — not used (raw, exact) until the refresh.
    await extendAggregates(db, merchantId, END);
    expect(await rfmBaseDate()).toBe(END);
    await expectSame(DAY, [null], "raw");
    await refreshAggregates(db, merchantId, END);
    expect(await openState(db, merchantId)).toMatchObject({ throughDate: END, openDate: DAY, ready: true });
    await expectSame(DAY, [null, "silver"]);
  }, 900_000);

  it("operators' adjustments and manual tier changes today are logged like engine batches", async () => {
    const db = database.db;
    const m = (await createMerchant(db, { slug: "open-ops", name: "Ops", demoProgram: true })).id;
    const tz = (await currentProgram(db, m)).timeZone;
    const today = businessDate(new Date(), tz);
    const at = (d: string, time: string) => `${d}T${time}:00+08:00`;
    const ago = (n: number) => addDays(today, -n);
    await ingestEvents(db, m, [
      { id: "r1", type: "member.registered", occurredAt: at(ago(40), "09:00"), memberId: "A", data: {} },
      { id: "r2", type: "member.registered", occurredAt: at(ago(30), "09:00"), memberId: "B", data: {} },
      { id: "o1", type: "order.paid", occurredAt: at(ago(20), "10:00"), memberId: "A", data: { orderId: "o1", amount: 30_000 } },
      { id: "o2", type: "order.paid", occurredAt: at(ago(2), "10:00"), memberId: "B", data: { orderId: "o2", amount: 12_000 } },
    ]);
    await refreshAggregates(db, m, ago(1));
    expect(await openState(db, m)).toMatchObject({ throughDate: ago(1), openDate: today, ready: true });
    const actor = { kind: "user" as const, userId: "u", merchantId: m, role: "owner" as const, email: "ops@example.com", name: "Ops" };
    await adjustMember(db, m, "A", { measure: "points", delta: 70, reason: "goodwill" }, actor);
    await setTierManually(db, m, { memberId: "B", tierCode: "gold", reason: "VIP by hand" }, actor);
    const params = { merchantId: m, from: ago(20), to: today, granularity: "week" as const };
    for (const tier of [null, "gold", "basic"])
      for (const name of metricNames) expect(await fastMetrics[name](db, { ...params, tier }), `${name} ${tier}`).toEqual(await metrics[name](db, { ...params, tier }));
    const dist = await fastMetrics["tier-distribution"](db, params);
    expect(dist.total).toMatchObject({ gold: 1 });
  }, 900_000);

  it("rfm: members whose orders and refunds leave the trailing 12 months on the open day", async () => {
    const db = database.db;
    const m = (await createMerchant(db, { slug: "open-rfm", name: "Rfm", demoProgram: true })).id;
    // T = 2026-03-31: its window starts 2025-04-01, the open day's (2026-04-01) on 2025-04-02.
    const T = "2026-03-31";
    const D = addDays(T, 1);
    const leaving = "2025-04-01";
    const at = (d: string, time: string) => `${d}T${time}:00+08:00`;
    const events: { id: string; type: string; occurredAt: string; memberId: string; data: Record<string, unknown> }[] = [];
    const order = (id: string, member: string, d: string, amount: number) =>
      events.push({ id, type: "order.paid", occurredAt: at(d, "10:00"), memberId: member, data: { orderId: id, amount } });
    for (const x of ["A", "B", "C", "P", "E1", "E2", "E3", "E4", "E5", "E6", "E7"])
      events.push({ id: `reg-${x}`, type: "member.registered", occurredAt: at("2025-03-01", "09:00"), memberId: x, data: {} });
    order("c0", "C", "2025-03-20", 30_000);
    order("a1", "A", leaving, 70_000); // A's only order leaves: A is no longer scored at D
    order("b1", "B", leaving, 50_000); // B keeps a later one: F 2 → 1, M drops
    order("b2", "B", "2025-12-01", 4_000);
    order("c1", "C", "2026-02-01", 20_000); // at D ties with E6 (20,000): the monetary counts see it
    order("p1", "P", "2025-10-01", 3_000);
    for (const [i, x] of ["E1", "E2", "E3", "E4", "E5", "E6", "E7"].entries()) {
      order(`e${i}a`, x, addDays("2025-06-01", 30 * i), 2_000 + 3_000 * i);
      if (i % 2) order(`e${i}b`, x, addDays("2025-06-15", 25 * i), 1_000 * i);
    }
    const ingest = async (batch: typeof events) => expect((await ingestEvents(db, m, batch)).map((r) => r.status)).not.toContain("rejected");
    await ingest(events.filter((e) => e.type === "member.registered"));
    await ingest(events.filter((e) => e.type !== "member.registered").sort((a, b) => a.occurredAt.localeCompare(b.occurredAt)));
    // C's refund of an order before both windows, dated on the day that leaves: in T's spend only (−3,000 at T).
    await ingest([{ id: "c-ref", type: "order.refunded", occurredAt: at(leaving, "12:00"), memberId: "C", data: { orderId: "c0", amount: 23_000 } }]);
    const [ref] = await queryRows<{ d: string; member_id: string }>(db, sql`select business_date::text as d, member_id from refunds where merchant_id = ${m}`);
    expect(ref).toEqual({ d: leaving, member_id: "C" });
    await refreshAggregates(db, m, T);
    expect(await openState(db, m)).toMatchObject({ throughDate: T, openDate: D, ready: true });
    const tiers = [null, ...(await currentProgram(db, m)).tiers.map((t) => t.code)];
    const check = async () => {
      for (const tier of tiers)
        for (const r of [{ from: D, to: D, granularity: "day" as const }, { from: addDays(addMonths(D, -12), 1), to: D, granularity: "month" as const }]) {
          const params = { merchantId: m, ...r, tier };
          lastRfmRoute.route = null;
          expect(await fastMetrics.rfm(db, params), `${r.granularity} ${tier}`).toEqual(await metrics.rfm(db, params));
          expect(lastRfmRoute.route).toBe("open");
        }
    };
    await check();
    // By hand: A leaves (11 scored at T, 10 at D).
    const day = (d: string) => ({ merchantId: m, from: d, to: d, granularity: "day" as const });
    expect(((await metrics.rfm(db, day(T))).total as { members: number }).members).toBe(11);
    expect(((await metrics.rfm(db, day(D))).total as { members: number }).members).toBe(10);
    // Orders on the open day, logged, not refreshed (corrections): A scored again; P's spend 3,000 → 20,000 ties C and E6.
    await ingest([{ id: "d1", type: "order.paid", occurredAt: at(D, "11:00"), memberId: "A", data: { orderId: "d1", amount: 1_000 } }]);
    await ingest([{ id: "d2", type: "order.paid", occurredAt: at(D, "12:00"), memberId: "P", data: { orderId: "d2", amount: 17_000 } }]);
    // By hand: 1,000 2,000 4,000 | 6,000 8,000 | 14,000 ×2 | 20,000 ×3 | 22,000 (score 1 + floor(5 · #less / 11)).
    expect(((await metrics.rfm(db, day(D))).total as { m: number[] }).m).toEqual([3, 2, 2, 3, 1]);
    await check();
  }, 900_000);

  it("the period job closes the open day and opens the next; the next day's events are exact too", async () => {
    const db = database.db;
    // A wrong base for END: the period job must write the one of its day (else the answers below differ or go raw).
    await db.execute(sql`update metric_rfm_base_m set n = n + 7 where merchant_id = ${merchantId}`);
    await db.execute(sql`update metric_rfm_base_rf set n = n + 7 where merchant_id = ${merchantId}`);
    await runPeriodJob(db, merchantId, DAY);
    expect((await rollupCoverage(db, merchantId))?.throughDate).toBe(DAY);
    expect(await rfmBaseDate()).toBe(DAY);
    const next = addDays(DAY, 1);
    expect(await openState(db, merchantId)).toMatchObject({ throughDate: DAY, openDate: next, ready: true });
    // DAY is covered now: its RFM snapshot (no open-day route).
    await expectSame(DAY, [null, "basic"], null);
    for (const batch of (await eventBatches(next, "c")).slice(0, 3)) await ingestEvents(db, merchantId, batch);
    await expectSame(next);
  }, 900_000);
});
