import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { holdGrants, rightInstances, walletLedger } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { checkoutQuote, confirmHold, createHold, releaseHold, walletView } from "@/lib/checkout/holds";
import { refundTopUp, topUpWallet, walletLedgerPage } from "@/lib/checkout/wallet";
import { holdInput } from "@/lib/schemas/checkout";
import { currentProgram } from "@/lib/program/store";
import { memberView } from "@/lib/members/read-member";
import { metrics } from "@/lib/metrics";
import { fastMetrics } from "@/lib/metrics/fast";
import { refreshDailyAggregates } from "@/lib/metrics/rollup";
import { placeOrder } from "@/lib/mall/orders";
import { mallOrderInput } from "@/lib/schemas/mall";
import { testDatabases } from "../db";
import { outcome as codeOf, pointsTotals } from "../checks";

const hold = (o: Record<string, unknown>) => holdInput.parse(o);

describe.each(testDatabases)("checkout on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  let coupon10: string;
  const now = new Date("2026-12-01T04:00:00Z");

  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "co", name: "Checkout", demoProgram: true })).id;
    const res = await ingestEvents(database.db, merchantId, [
      // The demo's new-member pack: a ¥10 no-threshold coupon and 100 points.
      { id: "r1", type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: "M1", data: {} },
      // ¥1,000 on November 26th: 1,000 points (a second lot, expiring a year later).
      { id: "o1", type: "order.paid", occurredAt: "2026-11-26T10:00:00+08:00", memberId: "M1", data: { orderId: "O1", amount: 100000 } },
      { id: "r2", type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: "M2", data: {} },
    ]);
    expect(res.map((r) => r.status)).toEqual(["applied", "applied", "applied"]);
    [{ grantId: coupon10 }] = await database.db
      .select({ grantId: rightInstances.grantId })
      .from(rightInstances)
      .where(and(eq(rightInstances.merchantId, merchantId), eq(rightInstances.memberId, "M1"), eq(rightInstances.rightCode, "coupon_10")));
  });
  afterAll(() => database.close());

  const balanceAndLots = (memberId: string) => pointsTotals(database.db, merchantId, memberId);

  it("quotes a ¥258 order: 1,100 points usable (under half of it), the ¥10 coupon takes ¥10, each instance has a code", async () => {
    const q = await checkoutQuote(database.db, merchantId, "M1", 25_800, now);
    expect(q.points).toEqual({ available: 1_100, maxUsable: 1_100, pointValue: 1 });
    expect(q.coupons).toHaveLength(1);
    expect(q.coupons[0]).toMatchObject({ grantId: coupon10, right: "coupon_10", discount: 1_000, usable: true });
    expect(q.coupons[0].code).toMatch(/^\d{12,}$/);
    expect(q.wallet).toEqual({ available: 0 });
    // ¥1: half is 50 points, under the 100-point minimum.
    expect((await checkoutQuote(database.db, merchantId, "M1", 100, now)).points.maxUsable).toBe(0);
  });

  it("refuses what the program or the balance does not allow, and changes nothing", async () => {
    const db = database.db;
    const base = { orderId: "X", amount: 25_800 };
    expect(await codeOf(createHold(db, merchantId, "M1", hold({ id: "bad1", ...base, points: 1_200 }), now))).toBe("insufficient_points points");
    expect(await codeOf(createHold(db, merchantId, "M1", hold({ id: "bad2", ...base, points: 150 }), now))).toBe("validation_failed points");
    // ¥1.50: half is 75 points, so even 100 is above what may be used.
    expect(await codeOf(createHold(db, merchantId, "M1", hold({ id: "bad3", orderId: "X", amount: 150, points: 100 }), now))).toBe("validation_failed points");
    expect(await codeOf(createHold(db, merchantId, "M2", hold({ id: "bad4", ...base, grantIds: [coupon10] }), now))).toBe("right_unavailable grantIds.0");
    expect(await codeOf(createHold(db, merchantId, "M1", hold({ id: "bad5", ...base, wallet: 1 }), now))).toBe("insufficient_balance wallet");
    // ¥5 order: 100 points are within half of it (the share is of the amount before coupons), but the
    // ¥10 coupon takes all ¥5, so they would make payable −¥1.
    expect(await codeOf(createHold(db, merchantId, "M1", hold({ id: "bad6", orderId: "X", amount: 500, grantIds: [coupon10], points: 100 }), now))).toBe("validation_failed payable");
    expect(await codeOf(createHold(db, merchantId, "M1", hold({ id: "bad7", ...base, grantIds: [coupon10, coupon10] }), now))).toBe("validation_failed grantIds.1");
    expect(await codeOf(confirmHold(db, merchantId, "no-such-hold", now))).toBe("not_found");
    expect(await codeOf(releaseHold(db, merchantId, "no-such-hold", null, now))).toBe("not_found");
    expect(holdInput.safeParse({ id: "x", orderId: "X", amount: 100, ttlSeconds: 59 }).success).toBe(false);
    expect(holdInput.safeParse({ id: "x", orderId: "X", amount: 100, ttlSeconds: 86_401 }).success).toBe(false);
    expect(holdInput.safeParse({ id: "x", orderId: "X", amount: -100 }).success).toBe(false);
    expect(holdInput.safeParse({ id: "x", orderId: "X", amount: 10.5 }).success).toBe(false);
    expect(holdInput.safeParse({ id: "x", orderId: "X", amount: 100, points: -100 }).success).toBe(false);
    expect((await checkoutQuote(db, merchantId, "M1", 25_800, now)).points.available).toBe(1_100);
  });

  it("holds 1,000 points and the coupon, confirms once, and keeps balance = Σ ledger = Σ lots", async () => {
    const db = database.db;
    const input = hold({ id: "h1", orderId: "O2", amount: 25_800, points: 1_000, grantIds: [coupon10] });
    const first = await createHold(db, merchantId, "M1", input, now);
    expect(first.created).toBe(true);
    // ¥258 − ¥10 of points − ¥10 coupon.
    expect(first.hold).toMatchObject({ status: "held", points: 1_000, pointsValue: 1_000, grants: [{ grantId: coupon10, discount: 1_000 }], wallet: 0, payable: 23_800 });
    expect(first.hold.expiresAt).toBe("2026-12-01T04:15:00.000Z");
    // Held: 100 points left available, the coupon shown as held; the balance still includes them.
    const q = await checkoutQuote(db, merchantId, "M1", 25_800, now);
    expect(q.points.available).toBe(100);
    expect(q.coupons[0]).toMatchObject({ usable: false, reason: "held" });
    expect((await balanceAndLots("M1")).balance).toBe(1_100);
    expect((await memberView(db, merchantId, "M1", now)).points).toMatchObject({ balance: 1_100, held: 1_000, available: 100 });
    // The same request again: the same hold; another body under its id: a conflict.
    expect((await createHold(db, merchantId, "M1", input, now)).created).toBe(false);
    expect(await codeOf(createHold(db, merchantId, "M1", { ...input, points: 900 }, now))).toBe("conflict id");

    const confirmed = await confirmHold(db, merchantId, "h1", now);
    expect(confirmed.status).toBe("confirmed");
    expect(await balanceAndLots("M1")).toEqual({ balance: 100, lots: 100, ledger: 100 });
    expect((await confirmHold(db, merchantId, "h1", now)).status).toBe("confirmed");
    expect(await balanceAndLots("M1")).toEqual({ balance: 100, lots: 100, ledger: 100 });
    expect(await codeOf(releaseHold(db, merchantId, "h1", null, now))).toBe("hold_closed");
    const [r] = await db.select().from(rightInstances).where(and(eq(rightInstances.merchantId, merchantId), eq(rightInstances.grantId, coupon10)));
    expect(r.redeemedAt?.toISOString()).toBe(now.toISOString());
  });

  it("an expired hold releases by itself: its points are available again and it can no longer be confirmed", async () => {
    const db = database.db;
    await createHold(db, merchantId, "M1", hold({ id: "h2", orderId: "O3", amount: 25_800, points: 100, ttlSeconds: 60 }), now);
    expect((await checkoutQuote(db, merchantId, "M1", 25_800, now)).points.available).toBe(0);
    const later = new Date(now.getTime() + 60_000);
    expect((await checkoutQuote(db, merchantId, "M1", 25_800, later)).points.available).toBe(100);
    expect(await codeOf(confirmHold(db, merchantId, "h2", later))).toBe("hold_closed");
    expect((await releaseHold(db, merchantId, "h2", null, later)).status).toBe("released");
    expect(await balanceAndLots("M1")).toEqual({ balance: 100, lots: 100, ledger: 100 });
  });

  it("stored value: ¥1,000 tops up ¥120 of bonus; a ¥100 spend takes principal and bonus in proportion; a top-up refund takes the rest back", async () => {
    const db = database.db;
    const program = await currentProgram(db, merchantId);
    const t = await db.transaction((tx) => topUpWallet(tx, merchantId, "M2", { topUpId: "T1", amount: 100_000 }, program.wallet, now, "2026-12-01"));
    expect(t).toEqual({ principal: 100_000, bonus: 12_000, duplicate: false });
    expect(await walletView(db, merchantId, "M2", now)).toEqual({ balance: 112_000, principal: 100_000, bonus: 12_000, held: 0, available: 112_000, heldPoints: 0 });

    await createHold(db, merchantId, "M2", hold({ id: "h3", orderId: "O4", amount: 20_000, wallet: 10_000 }), now);
    expect((await walletView(db, merchantId, "M2", now)).available).toBe(102_000);
    await confirmHold(db, merchantId, "h3", now);
    // principal 10,000 × 100,000 / 112,000 = 8,928.57 → 8,928; bonus the other 1,072.
    expect(await walletView(db, merchantId, "M2", now)).toEqual({ balance: 102_000, principal: 91_072, bonus: 10_928, held: 0, available: 102_000, heldPoints: 0 });

    expect(await codeOf(db.transaction((tx) => refundTopUp(tx, merchantId, "M2", { topUpId: "T1", amount: 91_073 }, "ref:1", now, "2026-12-01")))).toBe("insufficient_balance data.amount");
    const back = await db.transaction((tx) => refundTopUp(tx, merchantId, "M2", { topUpId: "T1", amount: 91_072 }, "ref:2", now, "2026-12-01"));
    expect(back).toEqual({ principal: 91_072, bonus: 10_928 });
    expect((await walletView(db, merchantId, "M2", now)).balance).toBe(0);

    const page = await walletLedgerPage(db, merchantId, "M2", null);
    expect(page.entries.map((e) => [e.type, e.principal, e.bonus, e.principalAfter, e.bonusAfter])).toEqual([
      ["top_up_refund", -91_072, -10_928, 0, 0],
      ["spend", -8_928, -1_072, 91_072, 10_928],
      ["top_up", 100_000, 12_000, 100_000, 12_000],
    ]);
    const [sum] = await db
      .select({ p: sql<number>`sum(${walletLedger.principal})`.mapWith(Number), b: sql<number>`sum(${walletLedger.bonus})`.mapWith(Number) })
      .from(walletLedger)
      .where(and(eq(walletLedger.merchantId, merchantId), eq(walletLedger.memberId, "M2")));
    expect(sum).toEqual({ p: 0, b: 0 });
  });
});

describe.each(testDatabases)("the wallet KPI on $name", ({ open }) => {
  it("counts top-ups, bonus, spends and refunds by business date, and the balance at each period's end", async () => {
    const database = await open();
    try {
      const db = database.db;
      const merchantId = (await createMerchant(db, { slug: "wk", name: "Wallet KPI", demoProgram: true })).id;
      await ingestEvents(db, merchantId, [{ id: "r", type: "member.registered", occurredAt: "2026-10-01T09:00:00+08:00", memberId: "A", data: {} }]);
      const program = await currentProgram(db, merchantId);
      // Oct 5 (Shanghai): ¥500 → +¥50 bonus. Nov 3: ¥1,000 → +¥120. Nov 4: a ¥110 spend. Nov 20: ¥100 of the first top-up refunded.
      const at = (d: string) => new Date(`${d}T04:00:00Z`);
      await db.transaction((tx) => topUpWallet(tx, merchantId, "A", { topUpId: "T1", amount: 50_000 }, program.wallet, at("2026-10-05"), "2026-10-05"));
      await db.transaction((tx) => topUpWallet(tx, merchantId, "A", { topUpId: "T2", amount: 100_000 }, program.wallet, at("2026-11-03"), "2026-11-03"));
      await createHold(db, merchantId, "A", holdInput.parse({ id: "h", orderId: "O", amount: 11_000, wallet: 11_000 }), at("2026-11-04"));
      await confirmHold(db, merchantId, "h", at("2026-11-04"));
      await db.transaction((tx) => refundTopUp(tx, merchantId, "A", { topUpId: "T1", amount: 10_000 }, "ref:T1", at("2026-11-20"), "2026-11-20"));
      const r = await metrics.wallet(db, { merchantId, from: "2026-10-01", to: "2026-11-30", granularity: "month" });
      // Balance after Oct: 55,000. Nov: +112,000 − 11,000 spent − (10,000 principal + its bonus).
      // The spend split 11,000 × 150,000 / 167,000 = 9,880.2 → 9,880 principal, 1,120 bonus, taken from T1 first:
      // T1 left 40,120 principal and 3,880 bonus; refunding 10,000 of it takes 10,000 × 3,880 / 40,120 = 967.1 → 967 bonus.
      expect(r.series).toEqual([
        { period: "2026-10-01", toppedUp: 50_000, bonusIssued: 5_000, spent: 0, refunded: 0, balance: 55_000 },
        { period: "2026-11-01", toppedUp: 100_000, bonusIssued: 12_000, spent: 11_000, refunded: 10_000, balance: 55_000 + 112_000 - 11_000 - 10_000 - 967 },
      ]);
      expect(r.total).toEqual({ toppedUp: 150_000, bonusIssued: 17_000, spent: 11_000, refunded: 10_000, balance: 145_033 });
    } finally {
      await database.close();
    }
  });
});

describe.each(testDatabases)("rights-cost with checkout and the mall on $name", ({ open }) => {
  it("a coupon costs the discount it gave at checkout; points as cash, bonus spent and mall goods count; fast = reference", async () => {
    const database = await open();
    try {
      const db = database.db;
      const merchantId = (await createMerchant(db, { slug: "rc", name: "Rights cost", demoProgram: true })).id;
      // A registers (¥10 no-threshold coupon, unit cost ¥10; 100 points) and pays ¥2,000 (2,000 points).
      await ingestEvents(db, merchantId, [
        { id: "r", type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: "A", data: {} },
        { id: "o", type: "order.paid", occurredAt: "2026-11-26T10:00:00+08:00", memberId: "A", data: { orderId: "O1", amount: 200_000 } },
      ]);
      const program = await currentProgram(db, merchantId);
      const [{ grantId }] = await db
        .select({ grantId: rightInstances.grantId })
        .from(rightInstances)
        .where(and(eq(rightInstances.merchantId, merchantId), eq(rightInstances.memberId, "A"), eq(rightInstances.rightCode, "coupon_10")));
      await db.transaction((tx) => topUpWallet(tx, merchantId, "A", { topUpId: "T", amount: 100_000 }, program.wallet, new Date("2026-11-27T04:00:00Z"), "2026-11-27"));
      // November 28th (Shanghai): a ¥5 order paid with the ¥10 coupon (it gives ¥5); a ¥200 order with
      // 1,000 points (¥10) and ¥112 of stored value (split 10,000 principal, 1,200 bonus); a tote bag
      // from the mall (unit cost ¥15).
      const at = new Date("2026-11-28T04:00:00Z");
      await createHold(db, merchantId, "A", holdInput.parse({ id: "h1", orderId: "O2", amount: 500, grantIds: [grantId] }), at);
      await confirmHold(db, merchantId, "h1", at);
      await createHold(db, merchantId, "A", holdInput.parse({ id: "h2", orderId: "O3", amount: 20_000, points: 1_000, wallet: 11_200 }), at);
      await confirmHold(db, merchantId, "h2", at);
      await placeOrder(db, merchantId, "A", mallOrderInput.parse({ id: "m1", itemId: "tote_bag", quantity: 1 }), { now: at });
      const day = { merchantId, from: "2026-11-28", to: "2026-11-28", granularity: "day" as const };
      // Unit cost of the coupon redeemed (1,000) − its unit cost + the discount it gave (500) + points
      // as cash (1,000) + bonus spent (1,200) + the tote bag (1,500) = 4,200.
      const raw = await metrics["rights-cost"](db, day);
      expect(raw.total).toMatchObject({ rightsCost: 4_200 });
      expect((await fastMetrics["rights-cost"](db, day)).total).toEqual(raw.total);
      // With the daily rollups through the 30th, the fast path reads them and adds the same.
      await refreshDailyAggregates(db, merchantId, "2026-11-30");
      const month = { merchantId, from: "2026-11-01", to: "2026-11-30", granularity: "month" as const };
      expect((await fastMetrics["rights-cost"](db, day)).total).toEqual(raw.total);
      expect(await fastMetrics["rights-cost"](db, month)).toEqual(await metrics["rights-cost"](db, month));
      expect(await fastMetrics["member-roi"](db, month)).toEqual(await metrics["member-roi"](db, month));
      // A tampered figure changes the answer (the test can fail): the coupon's discount at checkout.
      await db.update(holdGrants).set({ discount: 400 }).where(eq(holdGrants.merchantId, merchantId));
      expect((await metrics["rights-cost"](db, day)).total).toMatchObject({ rightsCost: 4_100 });
    } finally {
      await database.close();
    }
  });
});
