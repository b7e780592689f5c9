import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { holdLots, holds, members, pointsLots, rightInstances } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { confirmHold, createHold, releaseHold, walletView } from "@/lib/checkout/holds";
import { topUpWallet } from "@/lib/checkout/wallet";
import { holdInput } from "@/lib/schemas/checkout";
import { currentProgram } from "@/lib/program/store";
import { testDatabases } from "../db";

const settle = (ps: Promise<unknown>[]) => Promise.allSettled(ps).then((rs) => rs.map((r) => (r.status === "fulfilled" ? "ok" : ((r.reason as { code?: string }).code ?? String(r.reason)))));
const tally = (xs: string[]) => xs.reduce<Record<string, number>>((t, x) => ({ ...t, [x]: (t[x] ?? 0) + 1 }), {});

// On PostgreSQL these race for real (a pool of 10 connections); on PGlite they are serialised, and the
// same counts must hold.
describe.each(testDatabases)("checkout under concurrency on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  const now = new Date("2026-12-01T04:00:00Z");

  beforeAll(async () => {
    database = await open();
    merchantId = (await createMerchant(database.db, { slug: "cc", name: "Concurrent", demoProgram: true })).id;
    const res = await ingestEvents(database.db, merchantId, [
      // 100 welcome points + ¥4,900 as basic (×1): 5,000 points, 50 holds of 100.
      { id: "r1", type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: "P", data: {} },
      { id: "o1", type: "order.paid", occurredAt: "2026-11-26T10:00:00+08:00", memberId: "P", data: { orderId: "O1", amount: 490_000 } },
      { id: "r2", type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: "W", data: {} },
      { id: "r3", type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: "C", data: {} },
    ]);
    expect(res.map((r) => r.status)).toEqual(["applied", "applied", "applied", "applied"]);
  });
  afterAll(() => database.close());

  it("200 concurrent holds of 100 points against 5,000 points: exactly 50 held, the rest insufficient_points", async () => {
    const db = database.db;
    const results = await settle(
      Array.from({ length: 200 }, (_, i) => createHold(db, merchantId, "P", holdInput.parse({ id: `p${i}`, orderId: `OP${i}`, amount: 100_000, points: 100 }), now)),
    );
    expect(tally(results)).toEqual({ ok: 50, insufficient_points: 150 });
    const [{ n }] = await db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(holds)
      .where(and(eq(holds.merchantId, merchantId), eq(holds.memberId, "P")));
    expect(n).toBe(50);
    // Every point is set aside once: no lot holds more for holds than it has.
    const lots = await db.select().from(pointsLots).where(and(eq(pointsLots.merchantId, merchantId), eq(pointsLots.memberId, "P")));
    const taken = await db.select().from(holdLots).where(and(eq(holdLots.merchantId, merchantId), eq(holdLots.memberId, "P")));
    expect(taken.reduce((s, t) => s + t.points, 0)).toBe(5_000);
    for (const lot of lots) expect(taken.filter((t) => t.lotId === lot.id).reduce((s, t) => s + t.points, 0)).toBeLessThanOrEqual(lot.remaining);
  });

  it("confirm and release racing on each of 20 holds: exactly one of them wins each time", async () => {
    const db = database.db;
    const ids = Array.from({ length: 20 }, (_, i) => `p${i}`);
    const existing = new Set((await db.select({ id: holds.holdId }).from(holds).where(eq(holds.merchantId, merchantId))).map((h) => h.id));
    const mine = ids.filter((id) => existing.has(id)).slice(0, 20);
    const results = await Promise.all(mine.map((id) => settle([confirmHold(db, merchantId, id, now), releaseHold(db, merchantId, id, null, now)])));
    for (const r of results) expect([...r].sort()).toEqual(["hold_closed", "ok"]);
    const [m] = await db.select().from(members).where(and(eq(members.merchantId, merchantId), eq(members.memberId, "P")));
    const confirmed = (await db.select().from(holds).where(and(eq(holds.merchantId, merchantId), eq(holds.status, "confirmed")))).length;
    const [lots] = await db.select({ n: sql<number>`sum(${pointsLots.remaining})`.mapWith(Number) }).from(pointsLots).where(and(eq(pointsLots.merchantId, merchantId), eq(pointsLots.memberId, "P")));
    expect(m.pointsBalance).toBe(5_000 - 100 * confirmed);
    expect(lots.n).toBe(m.pointsBalance);
  });

  it("20 concurrent stored-value holds of ¥100 over ¥550 (¥500 + ¥50 bonus): exactly 5", async () => {
    const db = database.db;
    const program = await currentProgram(db, merchantId);
    await db.transaction((tx) => topUpWallet(tx, merchantId, "W", { topUpId: "T1", amount: 50_000 }, program.wallet, now, "2026-12-01"));
    const results = await settle(Array.from({ length: 20 }, (_, i) => createHold(db, merchantId, "W", holdInput.parse({ id: `w${i}`, orderId: `OW${i}`, amount: 10_000, wallet: 10_000 }), now)));
    expect(tally(results)).toEqual({ ok: 5, insufficient_balance: 15 });
    expect(await walletView(db, merchantId, "W", now)).toMatchObject({ balance: 55_000, held: 50_000, available: 5_000 });
  });

  it("a hold racing its own expiry: its confirm (read just before it expired) and a new hold (just after) over the same points — exactly one wins, 10 times", async () => {
    const db = database.db;
    const results: string[][] = [];
    for (let i = 0; i < 10; i++) {
      const member = `E${i}`;
      // 100 welcome points, all in one lot.
      await ingestEvents(db, merchantId, [{ id: `re${i}`, type: "member.registered", occurredAt: "2026-11-25T09:00:00+08:00", memberId: member, data: {} }]);
      const t0 = new Date(now.getTime() + i * 3_600_000);
      await createHold(db, merchantId, member, holdInput.parse({ id: `ea${i}`, orderId: `OEA${i}`, amount: 100_000, points: 100, ttlSeconds: 60 }), t0);
      const justBefore = new Date(t0.getTime() + 59_999);
      const justAfter = new Date(t0.getTime() + 60_000);
      // Alternate which starts first, so both orders of the race are seen on each database.
      const confirm = () => confirmHold(db, merchantId, `ea${i}`, justBefore);
      const other = () => createHold(db, merchantId, member, holdInput.parse({ id: `eb${i}`, orderId: `OEB${i}`, amount: 100_000, points: 100 }), justAfter);
      results.push(await settle(i % 2 ? [other(), confirm()] : [confirm(), other()]));
      const [m] = await db.select().from(members).where(and(eq(members.merchantId, merchantId), eq(members.memberId, member)));
      const [lots] = await db.select({ n: sql<number>`sum(${pointsLots.remaining})`.mapWith(Number) }).from(pointsLots).where(and(eq(pointsLots.merchantId, merchantId), eq(pointsLots.memberId, member)));
      expect(lots.n).toBe(m.pointsBalance);
      expect(m.pointsBalance).toBeGreaterThanOrEqual(0);
    }
    for (const r of results) expect(r.filter((x) => x === "ok")).toHaveLength(1);
  });

  it("one coupon in 10 concurrent holds: held once", async () => {
    const db = database.db;
    const [{ grantId }] = await db
      .select({ grantId: rightInstances.grantId })
      .from(rightInstances)
      .where(and(eq(rightInstances.merchantId, merchantId), eq(rightInstances.memberId, "C"), eq(rightInstances.rightCode, "coupon_10")));
    const results = await settle(Array.from({ length: 10 }, (_, i) => createHold(db, merchantId, "C", holdInput.parse({ id: `c${i}`, orderId: `OC${i}`, amount: 5_000, grantIds: [grantId] }), now)));
    expect(tally(results)).toEqual({ ok: 1, right_unavailable: 9 });
  });
});
