import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { members, pointsLedger, pointsLots } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { saveProgram } from "@/lib/program/store";
import { demoProgram } from "@/lib/program/demo-program";
import { ingestEvents } from "@/lib/engine/ingest";
import { runPeriodJob } from "@/lib/engine/period";
import { confirmHold, createHold, releaseHold } from "@/lib/checkout/holds";
import { adjustMember, redeemPoints } from "@/lib/members/points-ops";
import { holdInput } from "@/lib/schemas/checkout";
import { AppError } from "@/lib/errors";
import { testDatabases } from "../db";

const hold = (o: Record<string, unknown>) => holdInput.parse(o);

async function codeOf(p: Promise<unknown>) {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

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
});
