import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { members, pointsLedger, rightInstances, tierHistory, outbox } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { saveProgram } from "@/lib/program/store";
import { demoProgram } from "@/lib/program/demo-program";
import type { ProgramInput } from "@/lib/schemas/program";
import { ingestEvents } from "@/lib/engine/ingest";
import { runPeriodJob } from "@/lib/engine/period";
import { testDatabases } from "../db";

let n = 0;
async function merchantWith(db: Db, program: ProgramInput = demoProgram) {
  const id = (await createMerchant(db, { slug: `cfg-${++n}`, name: "C" })).id;
  await saveProgram(db, id, program);
  return id;
}
const reg = (m: string, at: string) => ({ id: `reg-${m}`, type: "member.registered", occurredAt: at, memberId: m, data: {} });
async function member(db: Db, merchantId: string, id: string) {
  return (await db.select().from(members).where(and(eq(members.merchantId, merchantId), eq(members.memberId, id))))[0];
}
async function ok(db: Db, m: string, events: unknown[]) {
  const r = await ingestEvents(db, m, events);
  expect(r.filter((x) => x.status !== "applied"), JSON.stringify(r)).toEqual([]);
}

describe.each(testDatabases)("program configuration in the engine on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await open();
    db = database.db;
  });
  afterAll(() => database.close());

  it("an event is evaluated under the version in force at its occurredAt", async () => {
    const m = await merchantWith(db);
    // Version 2 (from 2026-06-01): 3 points per yuan.
    await saveProgram(db, m, { ...demoProgram, points: { ...demoProgram.points, perYuan: 3 } }, { effectiveFrom: new Date("2026-06-01T00:00:00+08:00") });
    await ok(db, m, [
      reg("V", "2026-05-01T09:00:00+08:00"),
      { id: "before", type: "order.paid", occurredAt: "2026-05-31T23:00:00+08:00", memberId: "V", data: { orderId: "b", amount: 10_000 } },
      { id: "after", type: "order.paid", occurredAt: "2026-06-01T01:00:00+08:00", memberId: "V", data: { orderId: "a", amount: 10_000 } },
    ]);
    const rows = await db.select().from(pointsLedger).where(and(eq(pointsLedger.merchantId, m), eq(pointsLedger.rule, "order"))).orderBy(asc(pointsLedger.id));
    expect(rows.map((r) => [r.delta, r.programVersion])).toEqual([
      [100, 1], // ¥100 × 1
      [300, 2], // ¥100 × 3
    ]);
  });

  it("check-in: once a business day, 10 points, and the 7th day in a row grants the ¥10 coupon", async () => {
    const m = await merchantWith(db);
    const days = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ id: `ci-${d}`, type: "member.checked_in", occurredAt: `2026-03-0${d}T20:00:00+08:00`, memberId: "S", data: {} }));
    await ok(db, m, [reg("S", "2026-02-27T09:00:00+08:00"), ...days]);
    const again = await ingestEvents(db, m, [{ id: "ci-7b", type: "member.checked_in", occurredAt: "2026-03-07T21:00:00+08:00", memberId: "S", data: {} }]);
    expect(again[0]).toMatchObject({ status: "rejected", error: { code: "conflict" } });
    const s = await member(db, m, "S");
    expect([s.checkinStreak, s.pointsBalance]).toEqual([7, 100 + 7 * 10]);
    const coupons = await db.select().from(rightInstances).where(and(eq(rightInstances.merchantId, m), eq(rightInstances.source, "streak:S:2026-03-07")));
    expect(coupons.map((c) => [c.rightCode, c.unitCost])).toEqual([["coupon_10", 1000]]);
  });

  it("shares earn 5 points up to 3 a day", async () => {
    const m = await merchantWith(db);
    const shares = [1, 2, 3, 4, 5].map((i) => ({ id: `sh-${i}`, type: "content.shared", occurredAt: `2026-03-02T1${i}:00:00+08:00`, memberId: "H", data: {} }));
    await ok(db, m, [reg("H", "2026-03-01T09:00:00+08:00"), ...shares, { id: "sh-next", type: "content.shared", occurredAt: "2026-03-03T10:00:00+08:00", memberId: "H", data: {} }]);
    expect((await member(db, m, "H")).pointsBalance).toBe(100 + 3 * 5 + 5);
  });

  it("a referral rewards both sides once", async () => {
    const m = await merchantWith(db);
    await ok(db, m, [
      reg("R1", "2026-03-01T09:00:00+08:00"),
      reg("R2", "2026-03-02T09:00:00+08:00"),
      { id: "ref", type: "referral.completed", occurredAt: "2026-03-02T10:00:00+08:00", memberId: "R1", data: { refereeId: "R2" } },
      { id: "ref-again", type: "referral.completed", occurredAt: "2026-03-03T10:00:00+08:00", memberId: "R1", data: { refereeId: "R2" } },
    ]);
    expect([(await member(db, m, "R1")).pointsBalance, (await member(db, m, "R2")).pointsBalance]).toEqual([300, 300]);
  });

  it("a trial tier: silver for 7 days; a first order keeps it, none drops to basic", async () => {
    const m = await merchantWith(db, { ...demoProgram, trial: { tierCode: "silver", days: 7 } });
    await ok(db, m, [
      reg("T1", "2026-03-01T09:00:00+08:00"),
      reg("T2", "2026-03-01T09:00:00+08:00"),
      { id: "t1o", type: "order.paid", occurredAt: "2026-03-05T10:00:00+08:00", memberId: "T1", data: { orderId: "t1o", amount: 1_000 } },
    ]);
    expect([(await member(db, m, "T1")).tierCode, (await member(db, m, "T2")).tierCode]).toEqual(["silver", "silver"]);
    await runPeriodJob(db, m, "2026-03-09");
    expect([(await member(db, m, "T1")).tierCode, (await member(db, m, "T2")).tierCode]).toEqual(["silver", "basic"]);
    const h = await db.select().from(tierHistory).where(and(eq(tierHistory.merchantId, m), eq(tierHistory.memberId, "T2"))).orderBy(asc(tierHistory.id));
    expect(h.map((x) => [x.direction, x.toTier, x.businessDate])).toEqual([
      ["initial", "silver", "2026-03-01"],
      ["down", "basic", "2026-03-08"], // the trial ended at 09:00 on 8 March
    ]);
  });

  it("thresholds over a rolling 12 months count only that window's spend", async () => {
    const tiers = demoProgram.tiers.map((t, i) => (i === 0 ? t : { ...t, thresholds: [{ measure: "spend" as const, window: "rolling12m" as const, value: [0, 100_000, 500_000, 2_000_000][i] }] }));
    const m = await merchantWith(db, { ...demoProgram, tiers });
    await ok(db, m, [
      reg("W", "2024-01-01T09:00:00+08:00"),
      { id: "old", type: "order.paid", occurredAt: "2025-01-10T10:00:00+08:00", memberId: "W", data: { orderId: "old", amount: 90_000 } },
      // 2026-03-01: the 2025-01-10 order is out of the window; ¥900 + ¥200 = ¥1,100 ≥ ¥1,000 only with both new orders.
      { id: "n1", type: "order.paid", occurredAt: "2026-02-01T10:00:00+08:00", memberId: "W", data: { orderId: "n1", amount: 90_000 } },
    ]);
    expect((await member(db, m, "W")).tierCode).toBe("basic");
    await ok(db, m, [{ id: "n2", type: "order.paid", occurredAt: "2026-03-01T10:00:00+08:00", memberId: "W", data: { orderId: "n2", amount: 20_000 } }]);
    expect((await member(db, m, "W")).tierCode).toBe("silver");
  });

  it("automations: the welcome pack on registration and a message on upgrade, each once", async () => {
    const m = await merchantWith(db);
    await ok(db, m, [reg("U", "2026-03-01T09:00:00+08:00"), { id: "u1", type: "order.paid", occurredAt: "2026-03-02T10:00:00+08:00", memberId: "U", data: { orderId: "u1", amount: 100_000 } }]);
    const rights = await db.select().from(rightInstances).where(and(eq(rightInstances.merchantId, m), eq(rightInstances.memberId, "U")));
    expect(rights.map((r) => r.rightCode)).toEqual(["coupon_10"]);
    const msgs = await db.select().from(outbox).where(and(eq(outbox.merchantId, m), eq(outbox.memberId, "U")));
    expect(msgs.map((x) => x.template)).toEqual(["tier_upgraded"]);
  });
});
