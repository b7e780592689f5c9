import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { members, pointsLedger, rightInstances, tierHistory, growthLedger } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { runPeriodJob } from "@/lib/engine/period";
import { redeemPoints } from "@/lib/members/points-ops";
import { testDatabases } from "../db";

// Every expected number below is worked out by hand from shared/spec/demo-program.md.
let slugs = 0;
async function merchant(db: Db) {
  return (await createMerchant(db, { slug: `demo-${++slugs}`, name: "Demo", demoProgram: true })).id;
}
const reg = (id: string, at: string, data: Record<string, unknown> = {}) => ({ id: `reg-${id}`, type: "member.registered", occurredAt: at, memberId: id, data });
const paid = (id: string, member: string, at: string, amount: number) => ({ id, type: "order.paid", occurredAt: at, memberId: member, data: { orderId: id, amount } });

async function member(db: Db, merchantId: string, id: string) {
  const [m] = await db.select().from(members).where(and(eq(members.merchantId, merchantId), eq(members.memberId, id)));
  return m;
}
async function ledger(db: Db, merchantId: string, id: string) {
  return db.select().from(pointsLedger).where(and(eq(pointsLedger.merchantId, merchantId), eq(pointsLedger.memberId, id))).orderBy(asc(pointsLedger.id));
}
async function applyAll(db: Db, merchantId: string, events: unknown[]) {
  const r = await ingestEvents(db, merchantId, events);
  expect(r.filter((x) => x.status !== "applied"), JSON.stringify(r)).toEqual([]);
}

describe.each(testDatabases)("the demo program on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await open();
    db = database.db;
  });
  afterAll(() => database.close());

  it("¥1,000 paid makes a basic member silver", async () => {
    const m = await merchant(db);
    await applyAll(db, m, [reg("A", "2026-03-01T09:00:00+08:00"), paid("o1", "A", "2026-03-02T10:00:00+08:00", 99_900)]);
    expect((await member(db, m, "A")).tierCode).toBe("basic"); // growth 999
    await applyAll(db, m, [paid("o2", "A", "2026-03-03T10:00:00+08:00", 100)]);
    expect((await member(db, m, "A")).tierCode).toBe("silver"); // growth 1,000
  });

  it("an order on the 18th earns double; a gold member's ¥258 order on the 18th earns 619", async () => {
    const m = await merchant(db);
    await applyAll(db, m, [
      reg("B", "2026-03-01T09:00:00+08:00"),
      paid("b1", "B", "2026-03-02T10:00:00+08:00", 500_000), // basic: 5,000 points; growth 5,000 → gold
      paid("b2", "B", "2026-03-18T10:00:00+08:00", 25_800), // gold on the 18th: floor(258 × 1.2 × 2) = 619
      reg("C", "2026-03-01T09:00:00+08:00"),
      paid("c1", "C", "2026-03-18T11:00:00+08:00", 10_000), // basic on the 18th: 100 × 2 = 200
    ]);
    const b = await ledger(db, m, "B");
    expect(b.filter((r) => r.rule === "order").map((r) => r.delta)).toEqual([5000, 619]);
    expect((await member(db, m, "B")).pointsBalance).toBe(100 + 5000 + 619); // + the welcome pack's 100
    expect((await ledger(db, m, "C")).filter((r) => r.rule === "order").map((r) => r.delta)).toEqual([200]);
  });

  it("a refund claws back pro rata, and points already spent become a debt later earnings pay first", async () => {
    const m = await merchant(db);
    await applyAll(db, m, [reg("D", "2026-03-01T09:00:00+08:00"), paid("d1", "D", "2026-03-05T10:00:00+08:00", 40_000)]);
    // 100 welcome + 400 order = 500. Half refunded: 200 points and 200 growth back.
    await applyAll(db, m, [{ id: "d1-r1", type: "order.refunded", occurredAt: "2026-03-06T10:00:00+08:00", memberId: "D", data: { orderId: "d1", amount: 20_000 } }]);
    let d = await member(db, m, "D");
    expect([d.pointsBalance, d.growth, d.lifetimeSpend]).toEqual([300, 200, 20_000]);
    // Spend 250 of the 300, then refund the rest of the order: 200 to claw, only 50 left → debt 150.
    await redeemPoints(db, m, "D", { id: "d-red-1", points: 250, reason: "till" });
    await applyAll(db, m, [{ id: "d1-r2", type: "order.refunded", occurredAt: "2026-03-07T10:00:00+08:00", memberId: "D", data: { orderId: "d1", amount: 20_000 } }]);
    d = await member(db, m, "D");
    expect([d.pointsBalance, d.pointsDebt, d.growth]).toEqual([0, 150, 0]);
    // The next order's 300 points pay the 150 debt first: balance 150.
    await applyAll(db, m, [paid("d2", "D", "2026-03-09T10:00:00+08:00", 30_000)]);
    d = await member(db, m, "D");
    expect([d.pointsBalance, d.pointsDebt]).toEqual([150, 0]);
    const rows = await ledger(db, m, "D");
    expect(rows.reduce((s, r) => s + r.delta, 0)).toBe(150);
    expect(rows.find((r) => r.source === "ev:d1-r2:refund")).toMatchObject({ delta: -50, debtDelta: 150 });
    expect(rows.find((r) => r.source === "ev:d2:order")).toMatchObject({ delta: 150, debtDelta: -150 });
    // A refund above what is left is rejected and changes nothing.
    const r = await ingestEvents(db, m, [{ id: "d2-r", type: "order.refunded", occurredAt: "2026-03-10T10:00:00+08:00", memberId: "D", data: { orderId: "d2", amount: 30_001 } }]);
    expect(r[0]).toMatchObject({ status: "rejected", error: { code: "validation_failed" } });
    expect((await member(db, m, "D")).pointsBalance).toBe(150);
  });

  it("three months without a paid order: down one tier (and no earlier)", async () => {
    const m = await merchant(db);
    await applyAll(db, m, [reg("E", "2026-01-02T09:00:00+08:00"), paid("e1", "E", "2026-01-10T10:00:00+08:00", 120_000)]);
    expect((await member(db, m, "E")).tierCode).toBe("silver");
    await runPeriodJob(db, m, "2026-04-09");
    expect((await member(db, m, "E")).tierCode).toBe("silver");
    await runPeriodJob(db, m, "2026-04-10"); // 10 January + 3 months
    expect((await member(db, m, "E")).tierCode).toBe("basic");
    const h = await db.select().from(tierHistory).where(and(eq(tierHistory.merchantId, m), eq(tierHistory.memberId, "E"))).orderBy(asc(tierHistory.id));
    expect(h.map((x) => [x.direction, x.toTier, x.businessDate])).toEqual([
      ["initial", "basic", "2026-01-02"],
      ["up", "silver", "2026-01-10"],
      ["down", "basic", "2026-04-10"],
    ]);
    // Re-running the job for a day that has run changes nothing.
    expect((await runPeriodJob(db, m, "2026-04-10")).daysRun).toEqual([]);
  });

  it("points expire oldest first after 12 months", async () => {
    const m = await merchant(db);
    await applyAll(db, m, [reg("F", "2025-01-05T09:00:00+08:00"), paid("f1", "F", "2025-02-10T10:00:00+08:00", 5_000)]);
    // Lots: 100 (welcome, earned 2025-01-05) and 50 (order, 2025-02-10). Spending 120 takes 100 + 20.
    await redeemPoints(db, m, "F", { id: "f-red", points: 120, reason: "till" });
    await runPeriodJob(db, m, "2026-02-09");
    expect((await member(db, m, "F")).pointsBalance).toBe(30);
    await runPeriodJob(db, m, "2026-02-10"); // the order's lot ends with 2026-02-10
    expect((await member(db, m, "F")).pointsBalance).toBe(0);
    const expired = (await ledger(db, m, "F")).filter((r) => r.kind === "expire");
    expect(expired.map((r) => [r.delta, r.businessDate])).toEqual([[-30, "2026-02-10"]]);
  });

  it("a birthday month issues the matrix's birthday rights once", async () => {
    const m = await merchant(db);
    await applyAll(db, m, [
      reg("G", "2026-02-01T09:00:00+08:00", { birthday: "1992-04-20" }),
      paid("g1", "G", "2026-03-01T10:00:00+08:00", 520_000), // growth 5,200 → gold
      paid("g2", "G", "2026-03-25T10:00:00+08:00", 10_000),
    ]);
    await runPeriodJob(db, m, "2026-04-01");
    await runPeriodJob(db, m, "2026-04-30");
    const rights = await db.select().from(rightInstances).where(and(eq(rightInstances.merchantId, m), eq(rightInstances.memberId, "G")));
    const birthday = rights.filter((r) => r.source.startsWith("birthday:")).map((r) => [r.rightCode, r.unitCost]).sort();
    // Gold: a ¥100 birthday coupon (cost = face value) and a custom cake (3,000).
    expect(birthday).toEqual([
      ["birthday_cake", 3000],
      ["birthday_coupon", 10000],
    ]);
    // Gold's monthly rights on 1 April: 2 × 9折券 (1,500), 1 × free shipping (800), 1 × tasting (1,000).
    const monthly = rights.filter((r) => r.source.startsWith("monthly:2026-04")).map((r) => r.rightCode).sort();
    expect(monthly).toEqual(["coupon_90", "coupon_90", "free_shipping", "tasting"]);
  });

  it("growth lands in the growth ledger with its source", async () => {
    const m = await merchant(db);
    await applyAll(db, m, [reg("H", "2026-03-01T09:00:00+08:00"), paid("h1", "H", "2026-03-02T10:00:00+08:00", 12_345)]);
    const g = await db.select().from(growthLedger).where(and(eq(growthLedger.merchantId, m), eq(growthLedger.memberId, "H")));
    expect(g.map((r) => [r.delta, r.source])).toEqual([[123, "ev:h1:order"]]);
  });
});
