import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { holdLots, holdTopUps, members, pointsLedger, pointsLots, rightInstances, wallets, walletTopUps } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { saveProgram } from "@/lib/program/store";
import { demoProgram } from "@/lib/program/demo-program";
import { ingestEvents } from "@/lib/engine/ingest";
import { runPeriodJob } from "@/lib/engine/period";
import { confirmHold, createHold, releaseHold } from "@/lib/checkout/holds";
import { adjustMember, redeemPoints } from "@/lib/members/points-ops";
import { voidRight } from "@/lib/checkout/coupons";
import { holdInput } from "@/lib/schemas/checkout";
import { metrics } from "@/lib/metrics";
import { fastMetrics } from "@/lib/metrics/fast";
import { refreshAggregates } from "@/lib/metrics/aggregates";
import { testDatabases } from "../db";
import { outcome } from "../checks";

const codeOf = (p: Promise<unknown>) => outcome(p, false);

const hold = (o: Record<string, unknown>) => holdInput.parse(o);

let n = 0;
async function ok(db: Db, m: string, events: unknown[]) {
  const r = await ingestEvents(db, m, events);
  expect(r.filter((x) => x.status !== "applied"), JSON.stringify(r)).toEqual([]);
}

/** Balance, debt, Σ ledger, Σ lots remaining and each lot's remaining (oldest id first). */
async function pointsOf(db: Db, merchantId: string, memberId: string) {
  const [m] = await db.select().from(members).where(and(eq(members.merchantId, merchantId), eq(members.memberId, memberId)));
  const lots = await db
    .select({ id: pointsLots.id, source: pointsLots.source, remaining: pointsLots.remaining })
    .from(pointsLots)
    .where(and(eq(pointsLots.merchantId, merchantId), eq(pointsLots.memberId, memberId)))
    .orderBy(asc(pointsLots.id));
  const [ledger] = await db
    .select({ n: sql<number>`coalesce(sum(${pointsLedger.delta}), 0)`.mapWith(Number) })
    .from(pointsLedger)
    .where(and(eq(pointsLedger.merchantId, merchantId), eq(pointsLedger.memberId, memberId)));
  return { balance: m.pointsBalance, debt: m.pointsDebt, ledger: ledger.n, lots: lots.reduce((s, l) => s + l.remaining, 0), each: lots.map((l) => l.remaining) };
}

const actor = { kind: "user" as const, userId: "u", merchantId: "", role: "owner" as const, email: "ops@example.com", name: "Ops" };

describe.each(testDatabases)("checkout holds in the engine on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await open();
    db = database.db;
  });
  afterAll(() => database.close());

  it("held points are unavailable to redemptions, adjustments and a refund's clawback; the hold then confirms", async () => {
    const m = (await createMerchant(db, { slug: `ce-${++n}`, name: "CE", demoProgram: true })).id;
    // The new-member pack: 100 points (lot 1); a ¥1,000 order: 1,000 points (lot 2, same expiry day as nothing else). Balance 1,100.
    await ok(db, m, [
      { id: "r", type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: "Z", data: {} },
      { id: "o", type: "order.paid", occurredAt: "2026-11-26T10:00:00+08:00", memberId: "Z", data: { orderId: "O", amount: 100_000 } },
    ]);
    // A hold of 1,000 points on a ¥2,000 order (half of it is 1,000 points): lot 1's 100, then 900 of lot 2. Available: 100.
    await createHold(db, m, "Z", hold({ id: "H", orderId: "P", amount: 200_000, points: 1_000 }));
    expect(await codeOf(redeemPoints(db, m, "Z", { id: "red1", points: 200, reason: "gift" }))).toBe("insufficient_points");
    expect(await codeOf(adjustMember(db, m, "Z", { measure: "points", delta: -101, reason: "fix" }, { ...actor, merchantId: m }))).toBe("insufficient_points");
    expect(await pointsOf(db, m, "Z")).toEqual({ balance: 1_100, debt: 0, ledger: 1_100, lots: 1_100, each: [100, 1_000] });
    // A half refund of order O claws back 500 of its 1,000 points: only lot 2's 100 free points go; 400 become a debt.
    await ok(db, m, [{ id: "ref", type: "order.refunded", occurredAt: "2026-11-27T10:00:00+08:00", memberId: "Z", data: { orderId: "O", amount: 50_000 } }]);
    expect(await pointsOf(db, m, "Z")).toEqual({ balance: 1_000, debt: 400, ledger: 1_000, lots: 1_000, each: [100, 900] });
    // The hold still confirms with exactly what it set aside.
    await confirmHold(db, m, "H");
    expect(await pointsOf(db, m, "Z")).toEqual({ balance: 0, debt: 400, ledger: 0, lots: 0, each: [0, 0] });
  });

  it("expiry leaves the held part of an expired lot: a confirm spends it, a release lets the next day's run expire it", async () => {
    const m = (await createMerchant(db, { slug: `ce-${++n}`, name: "CE" })).id;
    // Points expire one month after the day earned: a lot earned on 2026-10-20 expires when 2026-11-20 ends (Beijing).
    await saveProgram(db, m, { ...demoProgram, points: { ...demoProgram.points, expiry: { kind: "rollingMonths", months: 1 } } });
    for (const x of ["X", "Y"])
      await ok(db, m, [
        // lot 1: the pack's 100; lot 2: ¥1,000 → 1,000, both expiring with 2026-11-20; lot 3: ¥1,000 on 11-25 → 1,000 (expires 12-25).
        { id: `r${x}`, type: "member.registered", occurredAt: "2026-10-20T09:00:00+08:00", memberId: x, data: {} },
        { id: `a${x}`, type: "order.paid", occurredAt: "2026-10-20T10:00:00+08:00", memberId: x, data: { orderId: `A${x}`, amount: 100_000 } },
        { id: `b${x}`, type: "order.paid", occurredAt: "2026-11-25T10:00:00+08:00", memberId: x, data: { orderId: `B${x}`, amount: 100_000 } },
      ]);
    // Each holds 600 points (oldest-expiring first): lot 1's 100 and 500 of lot 2. TTL one day, so they outlive the runs below.
    for (const x of ["X", "Y"]) await createHold(db, m, x, hold({ id: `H${x}`, orderId: `P${x}`, amount: 200_000, points: 600, ttlSeconds: 86_400 }));
    await runPeriodJob(db, m, "2026-11-21", { analyze: false });
    // Lots 1 and 2 expired on 11-20: lot 1 is all held (nothing expires), lot 2 expires its unheld 500. 2,100 − 500 = 1,600.
    for (const x of ["X", "Y"]) expect(await pointsOf(db, m, x)).toEqual({ balance: 1_600, debt: 0, ledger: 1_600, lots: 1_600, each: [100, 500, 1_000] });
    const [row] = await db
      .select({ delta: pointsLedger.delta, reason: pointsLedger.reason, source: pointsLedger.source })
      .from(pointsLedger)
      .where(and(eq(pointsLedger.merchantId, m), eq(pointsLedger.memberId, "X"), eq(pointsLedger.kind, "expire")));
    expect(row.delta).toBe(-500);
    expect(row.reason).toContain("500 held by an open checkout");

    // X confirms: the 600 come from lots that expired while held, and the ledger says so.
    await confirmHold(db, m, "HX");
    expect(await pointsOf(db, m, "X")).toEqual({ balance: 1_000, debt: 0, ledger: 1_000, lots: 1_000, each: [0, 0, 1_000] });
    const [spend] = await db.select().from(pointsLedger).where(and(eq(pointsLedger.merchantId, m), eq(pointsLedger.source, "hold:HX")));
    expect(spend.reason).toContain("600 of them from lots that expired while held");

    // Y releases: the next day's run expires the 600 left past their expiry, under a source of its own.
    await releaseHold(db, m, "HY");
    await runPeriodJob(db, m, "2026-11-22", { analyze: false });
    expect(await pointsOf(db, m, "Y")).toEqual({ balance: 1_000, debt: 0, ledger: 1_000, lots: 1_000, each: [0, 0, 1_000] });
    const late = await db
      .select({ delta: pointsLedger.delta, source: pointsLedger.source })
      .from(pointsLedger)
      .where(and(eq(pointsLedger.merchantId, m), eq(pointsLedger.memberId, "Y"), eq(pointsLedger.kind, "expire"), eq(pointsLedger.businessDate, "2026-11-22")))
      .orderBy(asc(pointsLedger.source));
    expect(late.map((r) => r.delta).sort()).toEqual([-100, -500]);
    expect(late.every((r) => r.source.endsWith(":2026-11-22"))).toBe(true);
    // X's lots were spent: nothing more expired for X.
    expect(await pointsOf(db, m, "X")).toMatchObject({ balance: 1_000, lots: 1_000 });
  });

  const walletOf = async (m: string, memberId: string) => {
    const [w] = await db.select().from(wallets).where(and(eq(wallets.merchantId, m), eq(wallets.memberId, memberId)));
    return w ? { principal: w.principal, bonus: w.bonus } : null;
  };
  const statuses = async (m: string, events: unknown[]) => (await ingestEvents(db, m, events)).map((r) => (r.status === "rejected" ? `${r.error!.code}: ${r.error!.message}` : r.status));

  it("wallet.topped_up and wallet.top_up_refunded: the bonus of the rules in force at the event, refunds up to the unspent principal", async () => {
    const m = (await createMerchant(db, { slug: `ce-${++n}`, name: "CE", demoProgram: true })).id;
    // Version 2 from 2026-12-01 (Beijing): ¥500 earns a ¥100 bonus (the demo's v1: ¥50).
    await saveProgram(db, m, { ...demoProgram, wallet: { enabled: true, topUpBonuses: [{ minAmount: 50_000, bonus: 10_000 }] } }, { effectiveFrom: new Date("2026-12-01T00:00:00+08:00") });
    await ok(db, m, [{ id: "r", type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: "W", data: {} }]);
    const t1 = { id: "t1", type: "wallet.topped_up", occurredAt: "2026-11-26T10:00:00+08:00", memberId: "W", data: { topUpId: "T1", amount: 100_000 } };
    // ¥1,000 under v1: + ¥120 bonus. ¥500 on 12-02 under v2: + ¥100.
    await ok(db, m, [t1, { id: "t2", type: "wallet.topped_up", occurredAt: "2026-12-02T10:00:00+08:00", memberId: "W", data: { topUpId: "T2", amount: 50_000 } }]);
    expect(await walletOf(m, "W")).toEqual({ principal: 150_000, bonus: 22_000 });
    // The same event again is a duplicate; another event with the same top-up id is refused; both change nothing.
    expect(await statuses(m, [t1, { ...t1, id: "t1b" }])).toEqual(["duplicate", "conflict: top-up T1 is already recorded"]);
    // Half of T1 back: ¥500 of principal and floor(50,000 × 12,000 / 100,000) = ¥60 of its bonus.
    await ok(db, m, [{ id: "u1", type: "wallet.top_up_refunded", occurredAt: "2026-12-03T10:00:00+08:00", memberId: "W", data: { topUpId: "T1", amount: 50_000 } }]);
    expect(await walletOf(m, "W")).toEqual({ principal: 100_000, bonus: 16_000 });
    // More than T1's unspent ¥500: refused, nothing changes; an unknown top-up: not found.
    const refused = await statuses(m, [
      { id: "u2", type: "wallet.top_up_refunded", occurredAt: "2026-12-03T11:00:00+08:00", memberId: "W", data: { topUpId: "T1", amount: 50_001 } },
      { id: "u3", type: "wallet.top_up_refunded", occurredAt: "2026-12-03T11:00:00+08:00", memberId: "W", data: { topUpId: "NOPE", amount: 1 } },
    ]);
    expect(refused.map((x) => x.split(":")[0])).toEqual(["insufficient_balance", "not_found"]);
    expect(await walletOf(m, "W")).toEqual({ principal: 100_000, bonus: 16_000 });
    const [t] = await db.select().from(walletTopUps).where(and(eq(walletTopUps.merchantId, m), eq(walletTopUps.topUpId, "T1")));
    expect([t.principalLeft, t.bonusLeft]).toEqual([50_000, 6_000]);
  });

  it("a top-up refund dated after an open hold's expiry still cannot take the stored value it holds", async () => {
    const m = (await createMerchant(db, { slug: `ce-${++n}`, name: "CE", demoProgram: true })).id;
    await ok(db, m, [
      { id: "r", type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: "V", data: {} },
      // ¥500: principal 50,000 and bonus 5,000.
      { id: "t", type: "wallet.topped_up", occurredAt: "2026-11-26T10:00:00+08:00", memberId: "V", data: { topUpId: "T", amount: 50_000 } },
    ]);
    // A checkout holds ¥500 of it for 15 minutes from now: ¥50 stays free.
    await createHold(db, m, "V", hold({ id: "HV", orderId: "PV", amount: 60_000, wallet: 50_000 }));
    // A refund of all of T (¥500 + its ¥50 bonus) dated 20 minutes ahead, past the hold's expiry: refused, nothing changes.
    const ahead = new Date(Date.now() + 20 * 60_000).toISOString();
    const res = await statuses(m, [{ id: "u", type: "wallet.top_up_refunded", occurredAt: ahead, memberId: "V", data: { topUpId: "T", amount: 50_000 } }]);
    expect(res[0].split(":")[0]).toBe("insufficient_balance");
    expect(await walletOf(m, "V")).toEqual({ principal: 50_000, bonus: 5_000 });
    // The hold confirms: principal floor(50,000 × 50,000 / 55,000) = 45,454, bonus 4,546.
    await confirmHold(db, m, "HV");
    expect(await walletOf(m, "V")).toEqual({ principal: 4_546, bonus: 454 });
  });

  it("right.redeemed by its code (核销码): exactly one of grantId or code; voided, held and used instances are refused", async () => {
    const m = (await createMerchant(db, { slug: `ce-${++n}`, name: "CE", demoProgram: true })).id;
    // Each new member gets the ¥10 coupon.
    await ok(db, m, ["A", "B", "C"].map((x) => ({ id: `r${x}`, type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: x, data: {} })));
    const coupons = await db.select().from(rightInstances).where(and(eq(rightInstances.merchantId, m), eq(rightInstances.rightCode, "coupon_10")));
    const of = (x: string) => coupons.find((c) => c.memberId === x)!;
    await voidRight(db, m, { memberId: "B", grantId: of("B").grantId, reason: "given by mistake" }, { ...actor, merchantId: m });
    await createHold(db, m, "C", hold({ id: "HC", orderId: "PC", amount: 5_000, grantIds: [of("C").grantId] }));
    const at = "2026-12-01T10:00:00+08:00";
    const redeem = (id: string, memberId: string, data: unknown) => ({ id, type: "right.redeemed", occurredAt: at, memberId, data });
    const res = await statuses(m, [
      redeem("e1", "A", { code: of("A").code }),
      redeem("e2", "A", { code: of("A").code }),
      redeem("e3", "B", { code: of("B").code }),
      redeem("e4", "C", { code: of("C").code }),
      redeem("e5", "A", { code: of("C").code }),
      redeem("e6", "A", { code: "000000000000" }),
    ]);
    expect(res.map((x) => x.split(":")[0])).toEqual(["applied", "conflict", "conflict", "conflict", "not_found", "not_found"]);
    expect(res[1]).toContain("already redeemed");
    expect(res[2]).toContain("was voided");
    expect(res[3]).toContain("held by an open checkout");
    const [a] = await db.select().from(rightInstances).where(and(eq(rightInstances.merchantId, m), eq(rightInstances.grantId, of("A").grantId)));
    expect(a.redeemedAt?.toISOString()).toBe("2026-12-01T02:00:00.000Z");
    // Both or neither: a field-level validation error.
    const both = await ingestEvents(db, m, [redeem("e7", "A", { code: of("A").code, grantId: of("A").grantId }), redeem("e8", "A", {})]);
    expect(both.map((r) => [r.error?.code, r.error?.issues?.[0]?.path])).toEqual([
      ["validation_failed", "data"],
      ["validation_failed", "data"],
    ]);
  });

  it("refunds of an order paid at a checkout give back points to their lots, stored value as taken, the coupon on the full refund; a full refund uncounts the order", async () => {
    const m = (await createMerchant(db, { slug: `ce-${++n}`, name: "CE", demoProgram: true })).id;
    // Lot 1: the pack's 100 (and the ¥10 coupon); lot 2: ¥1,000 → 1,000 points (silver at growth 1,000). ¥1,000 top-up: + ¥120 bonus.
    await ok(db, m, [
      { id: "r", type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: "G", data: {} },
      { id: "o1", type: "order.paid", occurredAt: "2026-11-26T10:00:00+08:00", memberId: "G", data: { orderId: "O1", amount: 100_000 } },
      { id: "t", type: "wallet.topped_up", occurredAt: "2026-11-26T11:00:00+08:00", memberId: "G", data: { topUpId: "T", amount: 100_000 } },
    ]);
    const [coupon] = await db.select().from(rightInstances).where(and(eq(rightInstances.merchantId, m), eq(rightInstances.memberId, "G")));
    // ¥600 order: 300 points (lot 1's 100, then 200 of lot 2), the ¥10 coupon, ¥200 of stored value; payable ¥387.
    const h = await createHold(db, m, "G", hold({ id: "H", orderId: "O2", amount: 60_000, points: 300, grantIds: [coupon.grantId], wallet: 20_000 }));
    expect(h.hold.payable).toBe(38_700);
    await confirmHold(db, m, "H");
    // The wallet spend: principal floor(20,000 × 100,000 / 112,000) = 17,857, bonus 2,143.
    expect(await walletOf(m, "G")).toEqual({ principal: 82_143, bonus: 9_857 });
    // The order paid ¥387 cash + ¥200 stored value = ¥587: 587 points (lot 3), growth 1,587, 2 orders.
    await ok(db, m, [{ id: "o2", type: "order.paid", occurredAt: "2026-12-01T10:00:00+08:00", memberId: "G", data: { orderId: "O2", amount: 58_700 } }]);
    expect(await pointsOf(db, m, "G")).toMatchObject({ balance: 1_387, each: [0, 800, 587] });

    // Half refund (¥293.50): lot 1 gets floor(100/2) = 50, lot 2 floor(200/2) = 100; the clawback takes floor(587/2) = 293 from lot 3.
    // Stored value: floor(17,857/2) = 8,928 principal and floor(2,143/2) = 1,071 bonus. The coupon stays used.
    await ok(db, m, [{ id: "f1", type: "order.refunded", occurredAt: "2026-12-03T10:00:00+08:00", memberId: "G", data: { orderId: "O2", amount: 29_350 } }]);
    expect(await pointsOf(db, m, "G")).toEqual({ balance: 1_244, debt: 0, ledger: 1_244, lots: 1_244, each: [50, 900, 294] });
    expect(await walletOf(m, "G")).toEqual({ principal: 91_071, bonus: 10_928 });
    const rows = await db
      .select({ delta: pointsLedger.delta, kind: pointsLedger.kind, reason: pointsLedger.reason })
      .from(pointsLedger)
      .where(and(eq(pointsLedger.merchantId, m), eq(pointsLedger.source, "ev:f1:return")));
    expect(rows).toEqual([{ delta: 150, kind: "spend", reason: "refund of order O2 (¥293.50 of ¥587.00): 150 points spent at checkout given back to their lots" }]);
    const [claw] = await db.select().from(pointsLedger).where(and(eq(pointsLedger.merchantId, m), eq(pointsLedger.source, "ev:f1:refund")));
    expect(claw.delta).toBe(-293);
    let [c] = await db.select().from(rightInstances).where(and(eq(rightInstances.merchantId, m), eq(rightInstances.grantId, coupon.grantId)));
    expect(c.redeemedAt).not.toBeNull();

    // The other half: exactly the rest — lots 1 and 2 whole again, lot 3 empty, the top-up whole, the coupon back, one order fewer.
    await ok(db, m, [{ id: "f2", type: "order.refunded", occurredAt: "2026-12-04T10:00:00+08:00", memberId: "G", data: { orderId: "O2", amount: 29_350 } }]);
    expect(await pointsOf(db, m, "G")).toEqual({ balance: 1_100, debt: 0, ledger: 1_100, lots: 1_100, each: [100, 1_000, 0] });
    expect(await walletOf(m, "G")).toEqual({ principal: 100_000, bonus: 12_000 });
    const [t] = await db.select().from(walletTopUps).where(and(eq(walletTopUps.merchantId, m), eq(walletTopUps.topUpId, "T")));
    expect([t.principalLeft, t.bonusLeft]).toEqual([100_000, 12_000]);
    const back = await db.select().from(holdTopUps).where(eq(holdTopUps.merchantId, m));
    expect(back.map((x) => [x.principal, x.principalReturned, x.bonus, x.bonusReturned])).toEqual([[17_857, 17_857, 2_143, 2_143]]);
    const returned = await db.select({ points: holdLots.points, returned: holdLots.returned }).from(holdLots).where(eq(holdLots.merchantId, m)).orderBy(asc(holdLots.lotId));
    expect(returned).toEqual([
      { points: 100, returned: 100 },
      { points: 200, returned: 200 },
    ]);
    [c] = await db.select().from(rightInstances).where(and(eq(rightInstances.merchantId, m), eq(rightInstances.grantId, coupon.grantId)));
    expect(c.redeemedAt).toBeNull();
    const [g] = await db.select().from(members).where(and(eq(members.merchantId, m), eq(members.memberId, "G")));
    expect([g.orderCount, g.growth, g.lifetimeSpend]).toEqual([1, 1_000, 100_000]);
  });

  it("a refund does not give back points of lots that expired meanwhile, and says so", async () => {
    const m = (await createMerchant(db, { slug: `ce-${++n}`, name: "CE" })).id;
    await saveProgram(db, m, { ...demoProgram, points: { ...demoProgram.points, expiry: { kind: "rollingMonths", months: 1 } } });
    // Lot 1: 100 (expires with 2026-11-20); lot 2: 1,000 from 11-10 (expires with 12-10).
    await ok(db, m, [
      { id: "r", type: "member.registered", occurredAt: "2026-10-20T09:00:00+08:00", memberId: "E", data: {} },
      { id: "o1", type: "order.paid", occurredAt: "2026-11-10T10:00:00+08:00", memberId: "E", data: { orderId: "O1", amount: 100_000 } },
    ]);
    // A checkout of 300 points on order P: lot 1's 100, 200 of lot 2; the order paid ¥300 (earns 300, lot 3, expiring with 12-12).
    await createHold(db, m, "E", hold({ id: "H", orderId: "P", amount: 60_000, points: 300 }));
    await confirmHold(db, m, "H");
    await ok(db, m, [{ id: "p", type: "order.paid", occurredAt: "2026-11-11T10:00:00+08:00", memberId: "E", data: { orderId: "P", amount: 30_000 } }]);
    // The full refund on 11-25: lot 1 has expired (its 100 are not returned), lot 2 gets its 200; the clawback takes lot 3's 300.
    await ok(db, m, [{ id: "f", type: "order.refunded", occurredAt: "2026-11-25T10:00:00+08:00", memberId: "E", data: { orderId: "P", amount: 30_000 } }]);
    expect(await pointsOf(db, m, "E")).toEqual({ balance: 1_000, debt: 0, ledger: 1_000, lots: 1_000, each: [0, 1_000, 0] });
    const [row] = await db.select().from(pointsLedger).where(and(eq(pointsLedger.merchantId, m), eq(pointsLedger.source, "ev:f:return")));
    expect([row.delta, row.reason]).toEqual([200, "refund of order P (¥300.00 of ¥300.00): 200 points spent at checkout given back to their lots; 100 not returned: their lots have expired"]);
  });

  it("a full refund takes the order out of the order count and the rolling order window; a partial one does not", async () => {
    const m = (await createMerchant(db, { slug: `ce-${++n}`, name: "CE" })).id;
    // Silver at 2 orders in 12 months, gold at 3 (no growth or spend thresholds).
    const orders = (value: number) => [{ measure: "orders" as const, window: "rolling12m" as const, value }];
    await saveProgram(db, m, {
      ...demoProgram,
      tiers: demoProgram.tiers.map((t, i) => (i === 0 ? t : { ...t, thresholds: orders(i + 1) })),
    });
    const paid = (i: number, day: number) => ({ id: `o${i}`, type: "order.paid", occurredAt: `2026-11-${day}T10:00:00+08:00`, memberId: "T", data: { orderId: `O${i}`, amount: 10_000 } });
    await ok(db, m, [{ id: "r", type: "member.registered", occurredAt: "2026-11-01T09:00:00+08:00", memberId: "T", data: {} }, paid(1, 10)]);
    await ok(db, m, [paid(2, 11)]);
    // O2 refunded in full, O1 in part: 1 order counts.
    await ok(db, m, [
      { id: "f2", type: "order.refunded", occurredAt: "2026-11-12T10:00:00+08:00", memberId: "T", data: { orderId: "O2", amount: 10_000 } },
      { id: "f1", type: "order.refunded", occurredAt: "2026-11-12T11:00:00+08:00", memberId: "T", data: { orderId: "O1", amount: 5_000 } },
    ]);
    let [t] = await db.select().from(members).where(and(eq(members.merchantId, m), eq(members.memberId, "T")));
    expect([t.orderCount, t.tierCode]).toEqual([1, "silver"]);
    // A third order makes 2 in the window (O1, O3): still silver, not gold.
    await ok(db, m, [paid(3, 13)]);
    [t] = await db.select().from(members).where(and(eq(members.merchantId, m), eq(members.memberId, "T")));
    expect([t.orderCount, t.tierCode]).toEqual([2, "silver"]);
  });

  it("after a full refund the period job re-measures the tier under a requalify rule without the refunded order", async () => {
    const m = (await createMerchant(db, { slug: `ce-${++n}`, name: "CE" })).id;
    // Silver at 2 orders in 12 months, re-checked every month; gold at 3.
    await saveProgram(db, m, {
      ...demoProgram,
      tiers: demoProgram.tiers.map((t, i) =>
        i === 0 ? t : { ...t, thresholds: [{ measure: "orders" as const, window: "rolling12m" as const, value: i + 1 }], retention: { kind: "requalify" as const, months: 1 } },
      ),
    });
    const paid = (i: number, day: number) => ({ id: `o${i}`, type: "order.paid", occurredAt: `2026-09-${day}T10:00:00+08:00`, memberId: "Q", data: { orderId: `O${i}`, amount: 10_000 } });
    await ok(db, m, [{ id: "r", type: "member.registered", occurredAt: "2026-09-01T09:00:00+08:00", memberId: "Q", data: {} }, paid(1, 10), paid(2, 11)]);
    // Silver on 09-11; O2 refunded in full on 09-12: the tier stays until the period job checks it.
    await ok(db, m, [{ id: "f2", type: "order.refunded", occurredAt: "2026-09-12T10:00:00+08:00", memberId: "Q", data: { orderId: "O2", amount: 10_000 } }]);
    let [q] = await db.select().from(members).where(and(eq(members.merchantId, m), eq(members.memberId, "Q")));
    expect([q.tierCode, q.orderCount]).toEqual(["silver", 1]);
    // On 10-11 a month has passed since 09-11: 1 order in the window, below silver's 2 → basic.
    await runPeriodJob(db, m, "2026-10-11", { analyze: false });
    [q] = await db.select().from(members).where(and(eq(members.merchantId, m), eq(members.memberId, "Q")));
    expect(q.tierCode).toBe("basic");
  });

  it("a coupon given back by a full refund: the rights-usage KPI's rollups are rebuilt from its issue day (fast = raw)", async () => {
    const m = (await createMerchant(db, { slug: `ce-${++n}`, name: "CE", demoProgram: true })).id;
    await ok(db, m, [{ id: "r", type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: "K", data: {} }]);
    const [coupon] = await db.select().from(rightInstances).where(and(eq(rightInstances.merchantId, m), eq(rightInstances.memberId, "K")));
    // The ¥10 coupon used at a checkout on 12-01 (Beijing noon), the order paid ¥90.
    const noon = new Date("2026-12-01T04:00:00Z");
    await createHold(db, m, "K", hold({ id: "HK", orderId: "PK", amount: 10_000, grantIds: [coupon.grantId] }), noon);
    await confirmHold(db, m, "HK", noon);
    await ok(db, m, [{ id: "p", type: "order.paid", occurredAt: "2026-12-01T12:00:00+08:00", memberId: "K", data: { orderId: "PK", amount: 9_000 } }]);
    await refreshAggregates(db, m, "2026-11-25", "2026-12-02");
    // The full refund on 12-03 gives the coupon back (still valid: 30 days from 11-25).
    await ok(db, m, [{ id: "f", type: "order.refunded", occurredAt: "2026-12-03T12:00:00+08:00", memberId: "K", data: { orderId: "PK", amount: 9_000 } }]);
    const params = { merchantId: m, from: "2026-11-20", to: "2026-12-05", granularity: "day" as const };
    const [fast, raw] = await Promise.all([fastMetrics["rights-usage"](db, params), metrics["rights-usage"](db, params)]);
    expect(fast).toEqual(raw);
  });
});
