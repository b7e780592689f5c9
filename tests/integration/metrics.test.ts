import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database, Db } from "@/db/client";
import { members, orders, pointsLedger, refunds, rightInstances, tierHistory } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { createApiKey } from "@/lib/tenancy/api-keys";
import { businessDate } from "@/lib/util/dates";
import { metrics, metricNames, periodsOf, type MetricParams } from "@/lib/metrics";
import { metricContext } from "@/lib/metrics/common";
import { operatingCost } from "@/lib/metrics/member-roi";
import { metricQuery } from "@/lib/schemas/metrics";
import { testDatabases } from "../db";

// The route reads the process-wide database through getDb(): point it at the test database.
const current = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/db/client", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/db/client")>();
  return { ...original, getDb: async () => current.db };
});

// Outside a Next request there is no cookie store: no key means no session.
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<typeof import("next-auth")>()), getServerSession: async () => null }));

const TZ = "Asia/Shanghai";
/** An instant given as Beijing wall-clock time ("2025-01-31T23:30"; a bare date is 10:00 that day). */
const bj = (local: string) => new Date(local.length === 10 ? `${local}T10:00:00+08:00` : `${local}:00+08:00`);
const bd = (at: Date) => businessDate(at, TZ);

describe("business dates and periods (unit)", () => {
  it("an order at 23:30 Beijing time on the last day of a month is on that day", () => {
    expect(bj("2025-01-31T23:30").toISOString()).toBe("2025-01-31T15:30:00.000Z");
    expect(businessDate(new Date("2025-01-31T15:30:00Z"), TZ)).toBe("2025-01-31");
    // 00:30 Beijing on 1 March is still 28 February in UTC: the business date is the Beijing one.
    expect(businessDate(new Date("2025-02-28T16:30:00Z"), TZ)).toBe("2025-03-01");
  });

  it("periods: weeks start on Monday, the first and last are clipped to the range", () => {
    // 2025-01-29 is a Wednesday; its week starts Monday 2025-01-27 (clipped to the 29th).
    expect(periodsOf("2025-01-29", "2025-02-12", "week")).toEqual([
      { start: "2025-01-29", end: "2025-02-02" },
      { start: "2025-02-03", end: "2025-02-09" },
      { start: "2025-02-10", end: "2025-02-12" },
    ]);
    expect(periodsOf("2025-01-15", "2025-03-10", "month")).toEqual([
      { start: "2025-01-15", end: "2025-01-31" },
      { start: "2025-02-01", end: "2025-02-28" },
      { start: "2025-03-01", end: "2025-03-10" },
    ]);
    expect(periodsOf("2024-12-31", "2025-01-02", "day").map((p) => p.start)).toEqual(["2024-12-31", "2025-01-01", "2025-01-02"]);
  });

  it("the query schema: defaults, field-level issues, at most 36 months", () => {
    expect(metricQuery.parse({ from: "2025-01-01", to: "2025-03-31" })).toEqual({ from: "2025-01-01", to: "2025-03-31", granularity: "month" });
    expect(metricQuery.parse({ from: "2025-01-01", to: "2025-01-01", granularity: "week", tier: "" })).toEqual({
      from: "2025-01-01",
      to: "2025-01-01",
      granularity: "week",
    });
    const paths = (q: Record<string, string>) => {
      const r = metricQuery.safeParse(q);
      return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
    };
    expect(paths({ from: "2025-02-01", to: "2025-01-31" })).toEqual(["from"]);
    expect(paths({ from: "2025-13-01", to: "2025-01-31" })).toEqual(["from"]);
    expect(paths({ from: "2025-01-01", to: "2025-01-31", granularity: "year" })).toEqual(["granularity"]);
    expect(paths({ from: "2025-01-01", to: "2025-01-31", tier: "Gold!" })).toEqual(["tier"]);
    expect(paths({ from: "2023-01-01", to: "2025-12-31" })).toEqual([]);
    expect(paths({ from: "2023-01-01", to: "2026-01-01" })).toEqual(["to"]);
  });
});

/*
 * The fixture (merchant on the demo program: tiers basic < silver < gold < diamond, Asia/Shanghai,
 * costs 2,000,00 + 15,000,00 = 1,700,000 fen a month, lifecycle 30/60/90 days, 1 point = 1 fen).
 * Times are Beijing time.
 *
 * members (registration → business date; tier now)
 *   E  2024-11-01                                     diamond
 *   A  2025-01-05                                     gold
 *   B  2025-01-10                                     basic
 *   C  2025-02-01 00:30 (= 2025-01-31T16:30Z) → 2025-02-01 (a UTC reading would say January)   basic
 *   D  2025-02-20                                     basic
 *
 * tier_history (business date)
 *   E  initial basic 2024-11-01; up basic→diamond 2024-12-01; manual diamond→gold 2025-03-05;
 *      manual gold→diamond 2025-03-20
 *   A  initial basic 01-05; up basic→silver 01-20; up silver→gold 02-10
 *   B  initial basic 01-10; up basic→silver 01-31 23:30; down silver→basic 03-15
 *   C  initial basic 02-01 (00:30)
 *   D  initial basic 02-20
 *
 * orders (paid; business date; amount; member discount; tier at order = the tier held just before,
 * so an order that upgrades its member at the same instant is in the tier before)
 *   o1 A 01-05 12:00 20000 d1000 basic · o2 A 01-20 12:00 120000 d6000 silver · o3 B 01-31 23:30 100000 d5000 basic
 *   o4 A 02-10 300000 d15000 silver · o5 guest 01-15 50000 · o6 guest 02-15 30000
 *   o7 D 03-01 00:30 (= 02-28T16:30Z) 40000 d2000 basic · o8 E 02-03 60000 d3000 diamond · o9 E 02-25 80000 d4000 diamond
 *   o10 B 03-10 10000 d500 silver · o11 guest 03-20 30000
 * refunds (refund day; amount)
 *   A's o2 on 02-05: 20000 · guest o5 on 03-02: 10000 · E's o9 on 02-26: 80000 (all of it)
 *
 * right_instances (issued; redeemed; tier_code)
 *   g1 A coupon_10 1000 01-05, 01-20 basic · g2 B coupon_10 1000 01-10, never basic
 *   g3 C coupon_10 1000 02-01, 02-02 basic · g4 A coupon_90 1500 02-01, 02-10 silver
 *   g5 A tasting 1000 02-01, 04-02 silver · g6 E coupon_85 2200 03-01, never diamond
 *   g7 D coupon_10 1000 02-20, 03-01 (an automation grant: no tier)
 *
 * points_ledger (delta kind date; 10:00 like everything without a time)
 *   A +200 earn 01-05, +1200 earn 01-20, −200 clawback 02-05, +3000 earn 02-10, −500 spend 02-15
 *   B +100 bonus 01-10, +1000 earn 01-31, −100 expire 03-31
 *   C +100 bonus 02-01, +50 adjust 02-01, −30 adjust 03-05
 *   D +400 earn 03-01, −400 spend 03-10
 *   E +600 earn 02-03, +800 earn 02-25, −800 clawback 02-26
 *
 * A second merchant holds a member also called "A" with an order, a right, points and tier history
 * on the same days: none of it may show in the first merchant's numbers.
 */
async function buildFixture(db: Db, merchantId: string) {
  const member = (memberId: string, registered: Date, tierCode: string) => ({ merchantId, memberId, registeredAt: registered, tierCode, tierSince: registered });
  await db
    .insert(members)
    .values([
      member("E", bj("2024-11-01"), "diamond"),
      member("A", bj("2025-01-05"), "gold"),
      member("B", bj("2025-01-10"), "basic"),
      member("C", bj("2025-02-01T00:30"), "basic"),
      member("D", bj("2025-02-20"), "basic"),
    ]);

  type Dir = "initial" | "up" | "down" | "manual";
  const move = (memberId: string, fromTier: string | null, toTier: string, direction: Dir, at: Date) => ({
    merchantId,
    memberId,
    fromTier,
    toTier,
    direction,
    reason: "fixture",
    source: `th:${memberId}:${at.toISOString()}`,
    changedAt: at,
    businessDate: bd(at),
  });
  await db
    .insert(tierHistory)
    .values([
      move("E", null, "basic", "initial", bj("2024-11-01")),
      move("E", "basic", "diamond", "up", bj("2024-12-01")),
      move("E", "diamond", "gold", "manual", bj("2025-03-05")),
      move("E", "gold", "diamond", "manual", bj("2025-03-20")),
      move("A", null, "basic", "initial", bj("2025-01-05")),
      move("A", "basic", "silver", "up", bj("2025-01-20")),
      move("A", "silver", "gold", "up", bj("2025-02-10")),
      move("B", null, "basic", "initial", bj("2025-01-10")),
      move("B", "basic", "silver", "up", bj("2025-01-31T23:30")),
      move("B", "silver", "basic", "down", bj("2025-03-15")),
      move("C", null, "basic", "initial", bj("2025-02-01T00:30")),
      move("D", null, "basic", "initial", bj("2025-02-20")),
    ]);

  const order = (orderId: string, memberId: string | null, paid: Date, amount: number, memberDiscount = 0, refundedAmount = 0, tierAtOrder: string | null = null) => ({
    merchantId,
    orderId,
    memberId,
    eventId: `ev-${orderId}`,
    paidAt: paid,
    businessDate: bd(paid),
    amount,
    memberDiscount,
    refundedAmount,
    tierAtOrder,
  });
  await db
    .insert(orders)
    .values([
      order("o1", "A", bj("2025-01-05T12:00"), 20000, 1000, 0, "basic"),
      order("o2", "A", bj("2025-01-20T12:00"), 120000, 6000, 20000, "silver"),
      order("o3", "B", bj("2025-01-31T23:30"), 100000, 5000, 0, "basic"),
      order("o4", "A", bj("2025-02-10"), 300000, 15000, 0, "silver"),
      order("o5", null, bj("2025-01-15"), 50000, 0, 10000),
      order("o6", null, bj("2025-02-15"), 30000),
      order("o7", "D", bj("2025-03-01T00:30"), 40000, 2000, 0, "basic"),
      order("o8", "E", bj("2025-02-03"), 60000, 3000, 0, "diamond"),
      order("o9", "E", bj("2025-02-25"), 80000, 4000, 80000, "diamond"),
      order("o10", "B", bj("2025-03-10"), 10000, 500, 0, "silver"),
      order("o11", null, bj("2025-03-20"), 30000),
    ]);

  const refund = (orderId: string, memberId: string | null, at: Date, amount: number) => ({
    merchantId,
    eventId: `ev-refund-${orderId}`,
    orderId,
    memberId,
    refundedAt: at,
    businessDate: bd(at),
    amount,
  });
  await db
    .insert(refunds)
    .values([refund("o2", "A", bj("2025-02-05"), 20000), refund("o5", null, bj("2025-03-02"), 10000), refund("o9", "E", bj("2025-02-26"), 80000)]);

  const grant = (grantId: string, memberId: string, rightCode: string, unitCost: number, issued: string, redeemed: string | null, tierCode: string | null) => ({
    merchantId,
    grantId,
    memberId,
    rightCode,
    tierCode,
    unitCost,
    source: `grant:${grantId}`,
    issuedAt: bj(issued),
    issuedDate: bd(bj(issued)),
    expiresAt: null,
    redeemedAt: redeemed ? bj(redeemed) : null,
    redeemedDate: redeemed ? bd(bj(redeemed)) : null,
  });
  await db
    .insert(rightInstances)
    .values([
      grant("g1", "A", "coupon_10", 1000, "2025-01-05", "2025-01-20", "basic"),
      grant("g2", "B", "coupon_10", 1000, "2025-01-10", null, "basic"),
      grant("g3", "C", "coupon_10", 1000, "2025-02-01", "2025-02-02", "basic"),
      grant("g4", "A", "coupon_90", 1500, "2025-02-01", "2025-02-10", "silver"),
      grant("g5", "A", "tasting", 1000, "2025-02-01", "2025-04-02", "silver"),
      grant("g6", "E", "coupon_85", 2200, "2025-03-01", null, "diamond"),
      grant("g7", "D", "coupon_10", 1000, "2025-02-20", "2025-03-01", null),
    ]);

  type Kind = "earn" | "bonus" | "adjust" | "spend" | "clawback" | "expire";
  let n = 0;
  const post = (memberId: string, delta: number, kind: Kind, date: string) => ({
    merchantId,
    memberId,
    delta,
    kind,
    source: `pl:${++n}`,
    reason: "fixture",
    occurredAt: bj(date),
    businessDate: bd(bj(date)),
  });
  await db
    .insert(pointsLedger)
    .values([
      post("A", 200, "earn", "2025-01-05"),
      post("A", 1200, "earn", "2025-01-20"),
      post("A", -200, "clawback", "2025-02-05"),
      post("A", 3000, "earn", "2025-02-10"),
      post("A", -500, "spend", "2025-02-15"),
      post("B", 100, "bonus", "2025-01-10"),
      post("B", 1000, "earn", "2025-01-31"),
      post("B", -100, "expire", "2025-03-31"),
      post("C", 100, "bonus", "2025-02-01"),
      post("C", 50, "adjust", "2025-02-01"),
      post("C", -30, "adjust", "2025-03-05"),
      post("D", 400, "earn", "2025-03-01"),
      post("D", -400, "spend", "2025-03-10"),
      post("E", 600, "earn", "2025-02-03"),
      post("E", 800, "earn", "2025-02-25"),
      post("E", -800, "clawback", "2025-02-26"),
    ]);
}

async function buildOtherMerchant(db: Db, merchantId: string) {
  await db.insert(members).values({ merchantId, memberId: "A", registeredAt: bj("2025-01-05"), tierCode: "basic", tierSince: bj("2025-01-05") });
  await db.insert(tierHistory).values({ merchantId, memberId: "A", fromTier: null, toTier: "basic", direction: "initial", reason: "x", source: "x", changedAt: bj("2025-01-05"), businessDate: "2025-01-05" });
  await db.insert(orders).values([
    { merchantId, orderId: "o1", memberId: "A", eventId: "e1", paidAt: bj("2025-01-15"), businessDate: "2025-01-15", amount: 999_999, memberDiscount: 99_999 },
    { merchantId, orderId: "o2", memberId: null, eventId: "e2", paidAt: bj("2025-01-15"), businessDate: "2025-01-15", amount: 777_777 },
  ]);
  await db.insert(refunds).values({ merchantId, eventId: "r1", orderId: "o1", memberId: "A", refundedAt: bj("2025-02-05"), businessDate: "2025-02-05", amount: 5 });
  await db.insert(rightInstances).values({ merchantId, grantId: "g1", memberId: "A", rightCode: "coupon_10", unitCost: 1000, source: "g1", issuedAt: bj("2025-01-05"), issuedDate: "2025-01-05", redeemedAt: bj("2025-01-06"), redeemedDate: "2025-01-06" });
  await db.insert(pointsLedger).values({ merchantId, memberId: "A", delta: 5000, kind: "earn", source: "p1", reason: "x", occurredAt: bj("2025-01-15"), businessDate: "2025-01-15" });
}

describe.each(testDatabases)("metrics on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  const Q1 = { from: "2025-01-01", to: "2025-03-31", granularity: "month" } as const;
  const run = <R>(metric: (db: Db, params: MetricParams) => Promise<R>, q: Omit<MetricParams, "merchantId"> = Q1) => metric(database.db, { merchantId, ...q });

  beforeAll(async () => {
    database = await open();
    current.db = database.db;
    const m = await createMerchant(database.db, { slug: "bakery", name: "Bakery", demoProgram: true });
    merchantId = m.id;
    await buildFixture(database.db, merchantId);
    const other = await createMerchant(database.db, { slug: "other", name: "Other", demoProgram: true });
    await buildOtherMerchant(database.db, other.id);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("the fixture's business dates are Beijing dates", async () => {
    // o3 at 23:30 on 31 Jan stays in January; o7 at 00:30 on 1 March (28 Feb in UTC) is in March.
    const rows = await database.db.select({ id: orders.orderId, d: orders.businessDate }).from(orders);
    const dateOf = Object.fromEntries(rows.map((r) => [r.id, r.d]));
    expect(dateOf.o3).toBe("2025-01-31");
    expect(dateOf.o7).toBe("2025-03-01");
  });

  it("tier-distribution reads tier history at the end of each period", async () => {
    const r = await run(metrics["tier-distribution"]);
    // End of Jan: E diamond, A silver (01-20), B silver (01-31 23:30); C, D not registered yet.
    // End of Feb: E diamond, A gold (02-10), B silver, C basic, D basic.
    // End of Mar: E diamond (manual back on 03-20), A gold, B basic (down 03-15), C, D basic.
    expect(r).toEqual({
      name: "tier-distribution",
      from: "2025-01-01",
      to: "2025-03-31",
      series: [
        { period: "2025-01-01", basic: 0, silver: 2, gold: 0, diamond: 1 },
        { period: "2025-02-01", basic: 2, silver: 1, gold: 1, diamond: 1 },
        { period: "2025-03-01", basic: 3, silver: 0, gold: 1, diamond: 1 },
      ],
      total: { basic: 3, silver: 0, gold: 1, diamond: 1 },
    });
    // Filter (the tier at the end of the period): basic — end Jan nobody, end Feb C, D, end Mar B, C, D.
    const basic = await run(metrics["tier-distribution"], { ...Q1, tier: "basic" });
    expect(basic.series).toEqual([
      { period: "2025-01-01", basic: 0, silver: 0, gold: 0, diamond: 0 },
      { period: "2025-02-01", basic: 2, silver: 0, gold: 0, diamond: 0 },
      { period: "2025-03-01", basic: 3, silver: 0, gold: 0, diamond: 0 },
    ]);
    // silver — end Jan A, B; end Feb B (A went gold 02-10); end Mar nobody (B down 03-15).
    const silver = await run(metrics["tier-distribution"], { ...Q1, tier: "silver" });
    expect(silver.series.map((p) => p.silver)).toEqual([2, 1, 0]);
    expect(silver.total).toEqual({ basic: 0, silver: 0, gold: 0, diamond: 0 });
  });

  it("tier-changes: distinct members, rates over the members not at the top / bottom at the start", async () => {
    const r = await run(metrics["tier-changes"]);
    // Jan: upgrades A (01-20), B (01-31) = 2. At 01-01 only E existed, in diamond (top): not-top 0 → null;
    //      not-bottom 1 → 0 / 1 = 0.
    // Feb: upgrades A (02-10) = 1. At 02-01: E diamond, A silver, B silver (C registers 02-01):
    //      not-top A, B = 2 → 1/2; not-bottom E, A, B = 3 → 0/3.
    // Mar: E manual diamond→gold (down) and gold→diamond (up); B down. Upgrades {E} = 1, downgrades {E, B} = 2.
    //      At 03-01: E diamond, A gold, B silver, C basic, D basic: not-top 4 → 1/4; not-bottom E, A, B → 2/3.
    // Whole range: upgrades {A, B, E} = 3, downgrades {E, B} = 2; at 01-01 only E (diamond): 3/0 → null, 2/1 = 2.
    expect(r.series).toEqual([
      { period: "2025-01-01", upgrades: 2, downgrades: 0, upgradeRate: null, downgradeRate: 0 },
      { period: "2025-02-01", upgrades: 1, downgrades: 0, upgradeRate: 1 / 2, downgradeRate: 0 },
      { period: "2025-03-01", upgrades: 1, downgrades: 2, upgradeRate: 1 / 4, downgradeRate: 2 / 3 },
    ]);
    expect(r.total).toEqual({ upgrades: 3, downgrades: 2, upgradeRate: null, downgradeRate: 2 });

    // Tier filter = the tier moved from (moves) and the tier at the start of the period (rates).
    // Moves from silver: A silver→gold 02-10 (up), B silver→basic 03-15 (down).
    //   Start of Jan: nobody in silver → null, null. Start of Feb: A, B silver → up 1/2, down 0/2.
    //   Start of Mar: B silver (A gold since 02-10) → up 0/1, down 1/1. Whole range: at 01-01 none → null.
    const silver = await run(metrics["tier-changes"], { ...Q1, tier: "silver" });
    expect(silver.series).toEqual([
      { period: "2025-01-01", upgrades: 0, downgrades: 0, upgradeRate: null, downgradeRate: null },
      { period: "2025-02-01", upgrades: 1, downgrades: 0, upgradeRate: 1 / 2, downgradeRate: 0 },
      { period: "2025-03-01", upgrades: 0, downgrades: 1, upgradeRate: 0, downgradeRate: 1 },
    ]);
    expect(silver.total).toEqual({ upgrades: 1, downgrades: 1, upgradeRate: null, downgradeRate: null });
    // From basic: A 01-20 and B 01-31 (up). In basic at 01-01, 02-01: nobody; at 03-01: C, D → up 0/2.
    // Basic is the lowest tier: its downgrade rate has no denominator.
    const basic = await run(metrics["tier-changes"], { ...Q1, tier: "basic" });
    expect(basic.series).toEqual([
      { period: "2025-01-01", upgrades: 2, downgrades: 0, upgradeRate: null, downgradeRate: null },
      { period: "2025-02-01", upgrades: 0, downgrades: 0, upgradeRate: null, downgradeRate: null },
      { period: "2025-03-01", upgrades: 0, downgrades: 0, upgradeRate: 0, downgradeRate: null },
    ]);
    expect(basic.total).toEqual({ upgrades: 2, downgrades: 0, upgradeRate: null, downgradeRate: null });
    // From diamond (the top): E's manual diamond→gold 03-05 is a downgrade; E is in diamond at the start of
    // every month → down 0/1, 0/1, 1/1; the whole range 1/1. Upgrade rates: no denominator.
    const diamond = await run(metrics["tier-changes"], { ...Q1, tier: "diamond" });
    expect(diamond.series.map((x) => [x.downgrades, x.downgradeRate, x.upgradeRate])).toEqual([
      [0, 0, null],
      [0, 0, null],
      [1, 1, null],
    ]);
    expect(diamond.total).toEqual({ upgrades: 0, downgrades: 1, upgradeRate: null, downgradeRate: 1 });
    // From gold: E's manual gold→diamond 03-20 is an upgrade; A is in gold at 03-01 → up 1/1, down 0/1.
    const gold = await run(metrics["tier-changes"], { ...Q1, tier: "gold" });
    expect(gold.series[2]).toEqual({ period: "2025-03-01", upgrades: 1, downgrades: 0, upgradeRate: 1, downgradeRate: 0 });
    expect(gold.total).toEqual({ upgrades: 1, downgrades: 0, upgradeRate: null, downgradeRate: null });
  });

  it("rights-usage per right; redeemed counts redemptions after the period", async () => {
    const r = await run(metrics["rights-usage"]);
    const none = { issued: 0, redeemed: 0, usageRate: null };
    const others = { member_discount: none, birthday_coupon: none, birthday_cake: none, reserved_seat: none, manager_reception: none, free_shipping: none, winback_20: none };
    // Jan: coupon_10 g1 (redeemed), g2 (not) → 1/2.
    // Feb: coupon_10 g3, g7 both redeemed → 2/2; coupon_90 g4 1/1; tasting g5 redeemed in April → 1/1.
    // Mar: coupon_85 g6 issued, not redeemed → 0/1 = 0 (a rate, not null).
    expect(r.series).toEqual([
      { period: "2025-01-01", ...others, coupon_10: { issued: 2, redeemed: 1, usageRate: 0.5 }, coupon_90: none, coupon_85: none, tasting: none },
      {
        period: "2025-02-01",
        ...others,
        coupon_10: { issued: 2, redeemed: 2, usageRate: 1 },
        coupon_90: { issued: 1, redeemed: 1, usageRate: 1 },
        coupon_85: none,
        tasting: { issued: 1, redeemed: 1, usageRate: 1 },
      },
      { period: "2025-03-01", ...others, coupon_10: none, coupon_90: none, coupon_85: { issued: 1, redeemed: 0, usageRate: 0 }, tasting: none },
    ]);
    // Whole range: coupon_10 4 issued, 3 redeemed.
    expect(r.total.coupon_10).toEqual({ issued: 4, redeemed: 3, usageRate: 3 / 4 });
    expect(r.total.coupon_85).toEqual({ issued: 1, redeemed: 0, usageRate: 0 });
    expect(r.total.winback_20).toEqual(none);
    // Tier filter = the instance's tier_code. Silver: g4 coupon_90 and g5 tasting, both February, both
    // redeemed (g5 in April). Basic: g1, g2 (Jan, 1 redeemed), g3 (Feb, redeemed); D's g7 has no tier.
    const silver = await run(metrics["rights-usage"], { ...Q1, tier: "silver" });
    expect(silver.series[0].coupon_90).toEqual(none);
    expect(silver.series[1]).toMatchObject({ coupon_10: none, coupon_90: { issued: 1, redeemed: 1, usageRate: 1 }, tasting: { issued: 1, redeemed: 1, usageRate: 1 } });
    expect(silver.total).toMatchObject({ coupon_10: none, coupon_85: none, coupon_90: { issued: 1, redeemed: 1, usageRate: 1 } });
    const basic = await run(metrics["rights-usage"], { ...Q1, tier: "basic" });
    expect(basic.series.map((x) => x.coupon_10)).toEqual([{ issued: 2, redeemed: 1, usageRate: 0.5 }, { issued: 1, redeemed: 1, usageRate: 1 }, none]);
    expect(basic.total).toMatchObject({ coupon_10: { issued: 3, redeemed: 2, usageRate: 2 / 3 }, coupon_90: none, tasting: none });
  });

  it("rights-cost: redeemed unit costs + member discounts over net member spend", async () => {
    const r = await run(metrics["rights-cost"]);
    // Member spend: Jan o1+o2+o3 = 20000+120000+100000 = 240000 (o3 at 23:30 on 01-31 is January).
    //   Feb o4+o8+o9 = 300000+60000+80000 = 440000, minus refunds dated Feb (A 20000, E 80000) = 340000.
    //   Mar o7 (00:30 on 03-01) + o10 = 40000+10000 = 50000. Guest orders never count here.
    // Rights cost: Jan g1 1000 + discounts 1000+6000+5000 = 13000.
    //   Feb g3 1000 + g4 1500 + discounts 15000+3000+4000 = 24500 (g5 is redeemed in April).
    //   Mar g7 1000 + discounts 2000+500 = 3500.
    expect(r.series).toEqual([
      { period: "2025-01-01", rightsCost: 13000, memberSpend: 240000, costRate: 13000 / 240000 },
      { period: "2025-02-01", rightsCost: 24500, memberSpend: 340000, costRate: 24500 / 340000 },
      { period: "2025-03-01", rightsCost: 3500, memberSpend: 50000, costRate: 3500 / 50000 },
    ]);
    expect(r.total).toEqual({ rightsCost: 41000, memberSpend: 630000, costRate: 41000 / 630000 });
    // 1–15 April: g5 redeemed 04-02 (1000), no member spend → costRate null.
    const april = await run(metrics["rights-cost"], { from: "2025-04-01", to: "2025-04-15", granularity: "month" });
    expect(april.total).toEqual({ rightsCost: 1000, memberSpend: 0, costRate: null });
  });

  it("rights-cost with a tier filter: the tier held at the order, the refund's order, the redemption", async () => {
    // Silver: discounts of orders placed in silver o2 6000 (Jan), o4 15000 (Feb; A's upgrade to gold at
    //   the same instant comes after it), o10 500 (Mar); redemptions while silver: g4 (02-10 10:00, the
    //   instant A went gold: still silver) 1500. g1 (01-20 10:00, the instant A went silver) is basic's.
    //   Spend in silver: o2 120000 (Jan); o4 300000 − o2's refund 20000 on 02-05 (Feb); o10 10000 (Mar).
    const silver = await run(metrics["rights-cost"], { ...Q1, tier: "silver" });
    expect(silver.series).toEqual([
      { period: "2025-01-01", rightsCost: 6000, memberSpend: 120000, costRate: 0.05 },
      { period: "2025-02-01", rightsCost: 16500, memberSpend: 280000, costRate: 16500 / 280000 },
      { period: "2025-03-01", rightsCost: 500, memberSpend: 10000, costRate: 0.05 },
    ]);
    expect(silver.total).toEqual({ rightsCost: 23000, memberSpend: 410000, costRate: 23000 / 410000 });
    // Basic: discounts o1 1000 + o3 5000 (Jan), o7 2000 (Mar); redemptions g1 1000 (Jan), g3 1000 (Feb),
    //   g7 1000 (Mar). Spend: o1 + o3 = 120000 (Jan), none in Feb (cost rate null), o7 40000 (Mar).
    const basic = await run(metrics["rights-cost"], { ...Q1, tier: "basic" });
    expect(basic.series).toEqual([
      { period: "2025-01-01", rightsCost: 7000, memberSpend: 120000, costRate: 7000 / 120000 },
      { period: "2025-02-01", rightsCost: 1000, memberSpend: 0, costRate: null },
      { period: "2025-03-01", rightsCost: 3000, memberSpend: 40000, costRate: 0.075 },
    ]);
    // Diamond: o8 and o9 (Feb) and o9's full refund on 02-26: spend 60000, discounts 7000.
    const diamond = await run(metrics["rights-cost"], { ...Q1, tier: "diamond" });
    expect(diamond.total).toEqual({ rightsCost: 7000, memberSpend: 60000, costRate: 7000 / 60000 });
    // Basic 11000 + silver 23000 + diamond 7000 (gold none) = everyone's 41000.
    expect((await run(metrics["rights-cost"], { ...Q1, tier: "gold" })).total).toEqual({ rightsCost: 0, memberSpend: 0, costRate: null });
    // member-roi: the same spend and cost; operating cost is not per tier.
    const roi = await run(metrics["member-roi"], { ...Q1, tier: "silver" });
    expect(roi.total).toEqual({ memberSpend: 410000, rightsCost: 23000, operatingCost: 5_100_000, roi: 410000 / 5_123_000 });
  });

  it("member-roi: operating cost prorated by days", async () => {
    const r = await run(metrics["member-roi"]);
    // Whole months: 1,700,000 each; 3 months 5,100,000.
    expect(r.series).toEqual([
      { period: "2025-01-01", memberSpend: 240000, rightsCost: 13000, operatingCost: 1_700_000, roi: 240000 / 1_713_000 },
      { period: "2025-02-01", memberSpend: 340000, rightsCost: 24500, operatingCost: 1_700_000, roi: 340000 / 1_724_500 },
      { period: "2025-03-01", memberSpend: 50000, rightsCost: 3500, operatingCost: 1_700_000, roi: 50000 / 1_703_500 },
    ]);
    expect(r.total).toEqual({ memberSpend: 630000, rightsCost: 41000, operatingCost: 5_100_000, roi: 630000 / 5_141_000 });
    // 15 days of a 30-day month: half the monthly cost, 850,000. No member spend: roi 0 (not null).
    const half = await run(metrics["member-roi"], { from: "2025-04-01", to: "2025-04-15", granularity: "month" });
    expect(half.total).toEqual({ memberSpend: 0, rightsCost: 1000, operatingCost: 850_000, roi: 0 });
    // 17–31 Jan (15 of 31 days) + 1–14 Feb (14 of 28): 1,700,000 × 15/31 + 850,000 = 1,672,580.65 → 1,672,581.
    const ctx = await metricContext(database.db, { merchantId, ...Q1 });
    expect(await operatingCost(ctx, { start: "2025-01-17", end: "2025-02-14" })).toBe(1_672_581);
  });

  it("repurchase: members with ≥ 1 and ≥ 2 paid orders; guests excluded", async () => {
    const r = await run(metrics["repurchase"]);
    // Jan: A (o1, o2), B (o3) → 2 buyers, 1 repeat. Feb: A (o4), E (o8, o9 — refunded, still paid) → 2, 1.
    // Mar: D (o7), B (o10) → 2, 0. Whole range: A 3, B 2, D 1, E 2 orders → 4 buyers, 3 repeat.
    expect(r.series).toEqual([
      { period: "2025-01-01", buyers: 2, repeatBuyers: 1, rate: 0.5 },
      { period: "2025-02-01", buyers: 2, repeatBuyers: 1, rate: 0.5 },
      { period: "2025-03-01", buyers: 2, repeatBuyers: 0, rate: 0 },
    ]);
    expect(r.total).toEqual({ buyers: 4, repeatBuyers: 3, rate: 3 / 4 });
    const april = await run(metrics["repurchase"], { from: "2025-04-01", to: "2025-04-15", granularity: "month" });
    expect(april.total).toEqual({ buyers: 0, repeatBuyers: 0, rate: null });
  });
  it("repurchase with a tier filter: the orders placed in that tier (tier_at_order)", async () => {
    // Silver orders: o2 A 01-20, o4 A 02-10, o10 B 03-10 (A is gold now and B basic: "tier now" would give nobody).
    const silver = await run(metrics["repurchase"], { ...Q1, tier: "silver" });
    expect(silver.series).toEqual([
      { period: "2025-01-01", buyers: 1, repeatBuyers: 0, rate: 0 },
      { period: "2025-02-01", buyers: 1, repeatBuyers: 0, rate: 0 },
      { period: "2025-03-01", buyers: 1, repeatBuyers: 0, rate: 0 },
    ]);
    expect(silver.total).toEqual({ buyers: 2, repeatBuyers: 1, rate: 1 / 2 }); // A twice, B once
    // Basic orders: o1 A 01-05, o3 B 01-31, o7 D 03-01 (A's other orders were silver: no repeat).
    const basic = await run(metrics["repurchase"], { ...Q1, tier: "basic" });
    expect(basic.series.map((x) => [x.buyers, x.repeatBuyers])).toEqual([
      [2, 0],
      [0, 0],
      [1, 0],
    ]);
    expect(basic.series[1].rate).toBeNull();
    expect(basic.total).toEqual({ buyers: 3, repeatBuyers: 0, rate: 0 });
  });

  it("arpu; a refund lands on the refund day", async () => {
    const r = await run(metrics["arpu"]);
    // 240000 / 2, 340000 / 2, 50000 / 2; whole range 630000 / 4.
    expect(r.series).toEqual([
      { period: "2025-01-01", memberSpend: 240000, activeMembers: 2, arpu: 120000 },
      { period: "2025-02-01", memberSpend: 340000, activeMembers: 2, arpu: 170000 },
      { period: "2025-03-01", memberSpend: 50000, activeMembers: 2, arpu: 25000 },
    ]);
    expect(r.total).toEqual({ memberSpend: 630000, activeMembers: 4, arpu: 157500 });
    // By day: o2 paid 01-20 counts in full that day; its 20000 refund lands on 02-05, a day without orders.
    const jan20 = await run(metrics["arpu"], { from: "2025-01-20", to: "2025-01-20", granularity: "day" });
    expect(jan20.total).toEqual({ memberSpend: 120000, activeMembers: 1, arpu: 120000 });
    const feb = await run(metrics["arpu"], { from: "2025-02-04", to: "2025-02-06", granularity: "day" });
    expect(feb.series).toEqual([
      { period: "2025-02-04", memberSpend: 0, activeMembers: 0, arpu: null },
      { period: "2025-02-05", memberSpend: -20000, activeMembers: 0, arpu: null },
      { period: "2025-02-06", memberSpend: 0, activeMembers: 0, arpu: null },
    ]);
    // Tier filter: silver orders o2 (Jan 120000), o4 (Feb 300000) and o10 (Mar 10000); o2's refund of
    // 20000 on 02-05 follows its order into silver: Feb 280000. Whole range 410000 over A, B.
    const silver = await run(metrics["arpu"], { ...Q1, tier: "silver" });
    expect(silver.series).toEqual([
      { period: "2025-01-01", memberSpend: 120000, activeMembers: 1, arpu: 120000 },
      { period: "2025-02-01", memberSpend: 280000, activeMembers: 1, arpu: 280000 },
      { period: "2025-03-01", memberSpend: 10000, activeMembers: 1, arpu: 10000 },
    ]);
    expect(silver.total).toEqual({ memberSpend: 410000, activeMembers: 2, arpu: 205000 });
    // Diamond: E's o8 60000 and o9 80000 in Feb, o9 refunded in full on 02-26 → 60000 over E.
    const diamond = await run(metrics["arpu"], { ...Q1, tier: "diamond" });
    expect(diamond.total).toEqual({ memberSpend: 60000, activeMembers: 1, arpu: 60000 });
    expect(diamond.series[0]).toEqual({ period: "2025-01-01", memberSpend: 0, activeMembers: 0, arpu: null });
  });

  it("revenue-share: guest orders count here, with their refunds on the refund day", async () => {
    const r = await run(metrics["revenue-share"]);
    // Guests: Jan o5 50000; Feb o6 30000; Mar o11 30000 − refund of o5 on 03-02 10000 = 20000. Total 100000.
    expect(r.series).toEqual([
      { period: "2025-01-01", memberSpend: 240000, guestSpend: 50000, share: 240000 / 290000 },
      { period: "2025-02-01", memberSpend: 340000, guestSpend: 30000, share: 340000 / 370000 },
      { period: "2025-03-01", memberSpend: 50000, guestSpend: 20000, share: 50000 / 70000 },
    ]);
    expect(r.total).toEqual({ memberSpend: 630000, guestSpend: 100000, share: 630000 / 730000 });
    // Weeks from Wednesday 01-29: [01-29..02-02] o3 100000; [02-03..02-09] o8 60000 − A's refund 20000;
    // [02-10..02-12] o4 300000. No guest orders in the range.
    const weeks = await run(metrics["revenue-share"], { from: "2025-01-29", to: "2025-02-12", granularity: "week" });
    expect(weeks.series).toEqual([
      { period: "2025-01-29", memberSpend: 100000, guestSpend: 0, share: 1 },
      { period: "2025-02-03", memberSpend: 40000, guestSpend: 0, share: 1 },
      { period: "2025-02-10", memberSpend: 300000, guestSpend: 0, share: 1 },
    ]);
    expect(weeks.total).toEqual({ memberSpend: 440000, guestSpend: 0, share: 1 });
    // Tier filter (orders placed in the tier, refunds with their order): silver o2 120000 (Jan),
    // o4 300000 − o2's refund 20000 (Feb), o10 10000 (Mar); guests unfiltered. Gold: no order was
    // placed in gold (A's o4 upgraded A at its own instant).
    const silver = await run(metrics["revenue-share"], { ...Q1, tier: "silver" });
    expect(silver.series).toEqual([
      { period: "2025-01-01", memberSpend: 120000, guestSpend: 50000, share: 120000 / 170000 },
      { period: "2025-02-01", memberSpend: 280000, guestSpend: 30000, share: 280000 / 310000 },
      { period: "2025-03-01", memberSpend: 10000, guestSpend: 20000, share: 10000 / 30000 },
    ]);
    expect(silver.total).toEqual({ memberSpend: 410000, guestSpend: 100000, share: 410000 / 510000 });
    const gold = await run(metrics["revenue-share"], { ...Q1, tier: "gold" });
    expect(gold.total).toEqual({ memberSpend: 0, guestSpend: 100000, share: 0 });
    const april = await run(metrics["revenue-share"], { from: "2025-04-01", to: "2025-04-15", granularity: "month" });
    expect(april.total).toEqual({ memberSpend: 0, guestSpend: 0, share: null });
  });

  it("lifecycle at the end of each period", async () => {
    const r = await run(metrics["lifecycle"]);
    // 01-31: registered E, A, B. New (registered after 01-31 − 30 = 01-01): A, B. E: no order by then → lost.
    // 02-28: new (after 01-29): C, D. A (last 02-10), B (01-31), E (02-25) active.
    // 03-31: new (after 03-01): none. C never ordered → lost. A (02-10, after 03-31 − 60 = 01-30),
    //        B (03-10), D (03-01), E (02-25) active.
    expect(r.series).toEqual([
      { period: "2025-01-01", new: 2, active: 0, dormant: 0, lost: 1 },
      { period: "2025-02-01", new: 2, active: 3, dormant: 0, lost: 0 },
      { period: "2025-03-01", new: 0, active: 4, dormant: 0, lost: 1 },
    ]);
    expect(r.total).toEqual({ new: 0, active: 4, dormant: 0, lost: 1 });
    // 04-15: A's last order 02-10 ≤ 04-15 − 60 = 02-14 but > 04-15 − 90 = 01-15 → dormant; B (03-10),
    //        D (03-01), E (02-25) active; C lost.
    const mid = await run(metrics["lifecycle"], { from: "2025-04-15", to: "2025-04-15", granularity: "day" });
    expect(mid.total).toEqual({ new: 0, active: 3, dormant: 1, lost: 1 });
    // 05-31: lost if last order ≤ 03-02: A (02-10), D (03-01), E (02-25), C (none); B (03-10) ≤ 04-01 → dormant.
    const late = await run(metrics["lifecycle"], { from: "2025-05-31", to: "2025-05-31", granularity: "day" });
    expect(late.total).toEqual({ new: 0, active: 0, dormant: 1, lost: 4 });
    // C registered 02-01: new on 03-02 (29 days), not on 03-03 (30 days: "in the last 30 days" is 02-02..03-03).
    const edge = await run(metrics["lifecycle"], { from: "2025-03-02", to: "2025-03-03", granularity: "day" });
    expect(edge.series).toEqual([
      { period: "2025-03-02", new: 2, active: 3, dormant: 0, lost: 0 },
      { period: "2025-03-03", new: 1, active: 3, dormant: 0, lost: 1 },
    ]);
    // Tier filter (members in the tier at the end of the period): silver — 01-31 A, B (new);
    // 02-28 B (active); 03-31 nobody. Basic — 01-31 nobody; 02-28 C, D (new); 03-31 B, D active, C lost.
    const silver = await run(metrics["lifecycle"], { ...Q1, tier: "silver" });
    expect(silver.series).toEqual([
      { period: "2025-01-01", new: 2, active: 0, dormant: 0, lost: 0 },
      { period: "2025-02-01", new: 0, active: 1, dormant: 0, lost: 0 },
      { period: "2025-03-01", new: 0, active: 0, dormant: 0, lost: 0 },
    ]);
    const basic = await run(metrics["lifecycle"], { ...Q1, tier: "basic" });
    expect(basic.series).toEqual([
      { period: "2025-01-01", new: 0, active: 0, dormant: 0, lost: 0 },
      { period: "2025-02-01", new: 2, active: 0, dormant: 0, lost: 0 },
      { period: "2025-03-01", new: 0, active: 2, dormant: 0, lost: 1 },
    ]);
    // Diamond: E — lost at 01-31 (no order yet), active at 02-28 and 03-31.
    expect((await run(metrics["lifecycle"], { ...Q1, tier: "diamond" })).series.map((p) => [p.active, p.lost])).toEqual([[0, 1], [1, 0], [1, 0]]);
  });

  it("points issued / redeemed / expired, outstanding and liability", async () => {
    const r = await run(metrics["points"]);
    // Jan: issued A 200 + 1200, B 100 + 1000 = 2500; outstanding 2500 → liability 2500 fen (1 point = 1 fen).
    // Feb: issued A 3000, C 100 + 50, E 600 + 800 = 4550; redeemed A 500; clawbacks A 200, E 800 are neither;
    //      outstanding 2500 + 4550 − 500 − 200 − 800 = 5550.
    // Mar: issued D 400 (C's −30 adjust is not issued); redeemed D 400; expired B 100;
    //      outstanding 5550 + 400 − 30 − 400 − 100 = 5420.
    expect(r.series).toEqual([
      { period: "2025-01-01", issued: 2500, redeemed: 0, expired: 0, outstanding: 2500, liability: 2500 },
      { period: "2025-02-01", issued: 4550, redeemed: 500, expired: 0, outstanding: 5550, liability: 5550 },
      { period: "2025-03-01", issued: 400, redeemed: 400, expired: 100, outstanding: 5420, liability: 5420 },
    ]);
    expect(r.total).toEqual({ issued: 7450, redeemed: 900, expired: 100, outstanding: 5420, liability: 5420 });
    // Tier filter. Flows: the tier held just before the row's instant (10:00). A's +200 (01-05, the
    // instant A joined: the first tier, basic) and +1200 (01-20, the instant A went silver) are basic's;
    // A's +3000 (02-10, the instant A went gold) is silver's; A's spend of 500 (02-15) gold's; E's rows
    // diamond's; everything of B, C, D basic's (B's +1000 at 10:00 on 01-31 is before its 23:30 upgrade).
    // Outstanding: the balances of the members in the tier at the period's end — balances A 1400 / 3700
    // / 3700, B 1100 / 1100 / 1000, C 0 / 150 / 120, D 0, E 0 / 600 / 600; silver at the ends: A, B /
    // B / nobody; basic: nobody / C, D / B, C, D.
    const silver = await run(metrics["points"], { ...Q1, tier: "silver" });
    expect(silver.series).toEqual([
      { period: "2025-01-01", issued: 0, redeemed: 0, expired: 0, outstanding: 2500, liability: 2500 },
      { period: "2025-02-01", issued: 3000, redeemed: 0, expired: 0, outstanding: 1100, liability: 1100 },
      { period: "2025-03-01", issued: 0, redeemed: 0, expired: 0, outstanding: 0, liability: 0 },
    ]);
    const basic = await run(metrics["points"], { ...Q1, tier: "basic" });
    expect(basic.series).toEqual([
      { period: "2025-01-01", issued: 2500, redeemed: 0, expired: 0, outstanding: 0, liability: 0 },
      { period: "2025-02-01", issued: 150, redeemed: 0, expired: 0, outstanding: 150, liability: 150 },
      { period: "2025-03-01", issued: 400, redeemed: 400, expired: 100, outstanding: 1120, liability: 1120 },
    ]);
    expect(basic.total).toEqual({ issued: 3050, redeemed: 400, expired: 100, outstanding: 1120, liability: 1120 });
    const gold = await run(metrics["points"], { ...Q1, tier: "gold" });
    expect(gold.total).toEqual({ issued: 0, redeemed: 500, expired: 0, outstanding: 3700, liability: 3700 });
  });

  it("retention cohorts by registration month (Beijing date)", async () => {
    const r = await run(metrics["retention"]);
    // Jan cohort: A, B (C registered 00:30 on 02-01 Beijing, 31 Jan in UTC: February).
    //   k=0 Jan: A, B → 2/2; k=1 Feb: A → 1/2; k=2 Mar: B → 1/2; k ≥ 3 after 03-31: null.
    // Feb cohort: C, D. k=0 Feb: none (D's order is 03-01 00:30) → 0/2; k=1 Mar: D → 1/2; k ≥ 2: null.
    // Mar cohort: empty. k=0 observable, 0 retained, rate null; k ≥ 1 null.
    const nulls = (n: number) => Array(n).fill(null);
    expect(r.series).toEqual([
      { period: "2025-01-01", members: 2, retained: [2, 1, 1, ...nulls(9)], rates: [1, 0.5, 0.5, ...nulls(9)] },
      { period: "2025-02-01", members: 2, retained: [0, 1, ...nulls(10)], rates: [0, 0.5, ...nulls(10)] },
      { period: "2025-03-01", members: 0, retained: [0, ...nulls(11)], rates: nulls(12) },
    ]);
    // Pooled: k=0 (2+0+0)/(2+2+0); k=1 (1+1)/(2+2); k=2 1/2 (Jan cohort only).
    expect(r.total).toEqual({
      members: 4,
      retained: [2, 2, 1, ...nulls(9)],
      base: [4, 4, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      rates: [0.5, 0.5, 0.5, ...nulls(9)],
    });
    // Tier filter = the tier at registration (first tier_history row): everyone joined in basic, so
    // basic gives the same cohorts and silver none (cohorts of 0 members, observable months 0 retained).
    const basic = await run(metrics["retention"], { ...Q1, tier: "basic" });
    expect(basic.series).toEqual(r.series);
    expect(basic.total).toEqual(r.total);
    const silver = await run(metrics["retention"], { ...Q1, tier: "silver" });
    expect(silver.series.map((c) => [c.members, c.retained.slice(0, 3)])).toEqual([
      [0, [0, 0, 0]],
      [0, [0, 0, null]],
      [0, [0, null, null]],
    ]);
    expect(silver.total.rates).toEqual(nulls(12));
  });

  it("rfm grid over the trailing 12 months", async () => {
    const r = await run(metrics["rfm"]);
    // At 03-31 (window 2024-04-01..2025-03-31), n = 4:
    //   last order: A 02-10, E 02-25, D 03-01, B 03-10 → ranks 1..4 → R = 1 + ⌊5(rank−1)/4⌋ = 1, 2, 3, 4.
    //   orders: D 1, B 2, E 2, A 3 → ranks 1, 2, 2, 4 → F = 1, 2, 2, 4.
    //   net spend: D 40000, E 140000 − 80000 = 60000, B 110000, A 440000 − 20000 = 420000 → M = 1, 2, 3, 4.
    //   Cells (r, f): A (1, 4), E (2, 2), D (3, 1), B (4, 2).
    const mar = r.series[2];
    expect(mar.members).toBe(4);
    expect(mar.grid).toEqual([
      [0, 0, 0, 1, 0],
      [0, 1, 0, 0, 0],
      [1, 0, 0, 0, 0],
      [0, 1, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    expect(mar.m).toEqual([1, 1, 1, 1, 0]);
    expect(r.total).toEqual({ members: mar.members, grid: mar.grid, m: mar.m });
    // At 01-31, n = 2: A (last 01-20, 2 orders, 140000), B (01-31, 1 order, 100000).
    //   R: A 1, B 1 + ⌊5/2⌋ = 3. F: B 1, A 3. M: B 1, A 3. Cells: A (1, 3), B (3, 1).
    expect(r.series[0]).toEqual({
      period: "2025-01-01",
      members: 2,
      grid: [
        [0, 0, 1, 0, 0],
        [0, 0, 0, 0, 0],
        [1, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
      ],
      m: [1, 0, 1, 0, 0],
    });
  });

  it("rfm with a tier filter: the members in the tier at the end of the period, scored among themselves", async () => {
    const r = await run(metrics["rfm"], { ...Q1, tier: "basic" });
    // At 03-31 basic: B, C, D; buyers B (last 03-10, 2 orders, 110000) and D (03-01, 1, 40000), n = 2:
    //   D scores 1 on each, B 1 + ⌊5/2⌋ = 3 on each. Cells D (1, 1), B (3, 3).
    const grid = (cells: [number, number][]) => {
      const g = Array.from({ length: 5 }, () => Array<number>(5).fill(0));
      for (const [r, f] of cells) g[r - 1][f - 1] += 1;
      return g;
    };
    expect(r.total).toEqual({ members: 2, grid: grid([[1, 1], [3, 3]]), m: [1, 0, 1, 0, 0] });
    // At 01-31 nobody was basic; at 02-28 C and D, neither with an order yet (D's is 03-01).
    expect(r.series[0].members).toBe(0);
    expect(r.series[1].members).toBe(0);
    // Silver at 01-31: A (last 01-20, 2 orders, 140000), B (01-31, 1, 100000) — as for everyone then.
    const silver = await run(metrics["rfm"], { ...Q1, tier: "silver" });
    expect(silver.series[0]).toEqual({ period: "2025-01-01", members: 2, grid: grid([[1, 3], [3, 1]]), m: [1, 0, 1, 0, 0] });
    expect(silver.total.members).toBe(0);
    // Diamond at 03-31: E alone → (1, 1), M 1.
    expect((await run(metrics["rfm"], { ...Q1, tier: "diamond" })).total).toEqual({ members: 1, grid: grid([[1, 1]]), m: [1, 0, 0, 0, 0] });
  });

  it("an unknown tier is a validation error on tier", async () => {
    await expect(run(metrics["arpu"], { ...Q1, tier: "platinum" })).rejects.toMatchObject({ code: "validation_failed", issues: [{ path: "tier" }] });
  });

  describe("GET /api/v1/metrics/[name]", () => {
    const call = async (name: string, query: string, key: string | null) => {
      const { GET } = await import("@/app/api/v1/metrics/[name]/route");
      const request = new Request(`http://localhost/api/v1/metrics/${name}?${query}`, key ? { headers: { authorization: `Bearer ${key}` } } : {});
      const res = await GET(request, { params: Promise.resolve({ name }) });
      return { status: res.status, body: await res.json() };
    };
    let key: string;
    beforeAll(async () => {
      key = (await createApiKey(database.db, merchantId, { name: "metrics test" })).key;
    });

    it("answers { name, from, to, series, total }", async () => {
      const res = await call("revenue-share", "from=2025-01-01&to=2025-03-31", key);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(["from", "name", "series", "to", "total"]);
      expect(res.body.total).toEqual({ memberSpend: 630000, guestSpend: 100000, share: 630000 / 730000 });
      expect(res.body.series.map((s: { period: string }) => s.period)).toEqual(["2025-01-01", "2025-02-01", "2025-03-01"]);
    });

    it("every registered metric answers", async () => {
      for (const name of metricNames) {
        const res = await call(name, "from=2025-01-01&to=2025-03-31&granularity=week&tier=basic", key);
        expect(res.status, name).toBe(200);
        expect(res.body.name).toBe(name);
      }
    });

    it("unknown metric → 404, bad query → 400 with field issues, no key → 401", async () => {
      expect((await call("nope", "from=2025-01-01&to=2025-01-31", key)).status).toBe(404);
      const bad = await call("arpu", "from=2025-02-01&to=2025-01-31", key);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe("validation_failed");
      expect(bad.body.error.issues).toEqual([{ path: "from", message: expect.any(String) }]);
      const missing = await call("arpu", "from=2025-01-01", key);
      expect(missing.status).toBe(400);
      expect(missing.body.error.issues.map((i: { path: string }) => i.path)).toEqual(["to"]);
      expect((await call("arpu", "from=2025-01-01&to=2025-01-31", null)).status).toBe(401);
    });
  });
});
