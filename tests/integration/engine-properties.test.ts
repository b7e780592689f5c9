import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { and, eq, sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { queryRows } from "@/db/client";
import { members } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { ingestGrouped } from "@/lib/engine/group-commit";
import { redeemPoints } from "@/lib/members/points-ops";
import { testDatabases } from "../db";

let n = 0;
const newMerchant = async (db: Db) => (await createMerchant(db, { slug: `prop-${++n}`, name: "P", demoProgram: true })).id;
const ids = ["A", "B", "C"];
const day = (d: number, h: number) => new Date(Date.UTC(2026, 0, 2 + d, h)).toISOString(); // January 2026: no 8th/18th below d=5

/** The full engine state of a merchant, as comparable data. */
async function snapshot(db: Db, merchantId: string) {
  const ms = await db.select().from(members).where(eq(members.merchantId, merchantId)).orderBy(members.memberId);
  const counts = await queryRows(
    db,
    sql`select (select count(*)::int from events where merchant_id = ${merchantId}) as events,
      (select count(*)::int from points_ledger where merchant_id = ${merchantId}) as ledger,
      (select coalesce(sum(remaining), 0)::int from points_lots where merchant_id = ${merchantId}) as lots,
      (select count(*)::int from orders where merchant_id = ${merchantId}) as orders,
      (select count(*)::int from right_instances where merchant_id = ${merchantId}) as rights,
      (select count(*)::int from tier_history where merchant_id = ${merchantId}) as tiers`,
  );
  return { members: ms.map(({ updatedAt: _u, ...m }) => m), counts: counts[0] };
}

/** Random histories: orders, partial refunds of earlier orders, check-ins, reviews, shares, profiles. */
const history = fc
  .array(
    fc.record({
      kind: fc.constantFrom("order", "order", "refund", "checkin", "review", "share", "profile"),
      member: fc.constantFrom(...ids),
      day: fc.integer({ min: 0, max: 40 }),
      hour: fc.integer({ min: 1, max: 12 }),
      amount: fc.integer({ min: 1, max: 300_000 }),
      pct: fc.integer({ min: 1, max: 100 }),
    }),
    { minLength: 1, maxLength: 30 },
  )
  .map((steps) => {
    const events: Record<string, unknown>[] = ids.map((m) => ({ id: `reg-${m}`, type: "member.registered", occurredAt: day(0, 0), memberId: m, data: {} }));
    const orders: { id: string; member: string; left: number }[] = [];
    steps.forEach((s, i) => {
      const at = day(s.day, s.hour);
      if (s.kind === "order") {
        orders.push({ id: `o${i}`, member: s.member, left: s.amount });
        events.push({ id: `o${i}`, type: "order.paid", occurredAt: at, memberId: s.member, data: { orderId: `o${i}`, amount: s.amount } });
      } else if (s.kind === "refund" && orders.length) {
        const o = orders[i % orders.length];
        const amount = Math.floor((o.left * s.pct) / 100);
        if (amount > 0) {
          o.left -= amount;
          events.push({ id: `r${i}`, type: "order.refunded", occurredAt: day(41, s.hour), memberId: o.member, data: { orderId: o.id, amount } });
        }
      } else if (s.kind === "checkin") events.push({ id: `c${i}`, type: "member.checked_in", occurredAt: at, memberId: s.member, data: {} });
      else if (s.kind === "review") events.push({ id: `v${i}`, type: "review.posted", occurredAt: at, memberId: s.member, data: {} });
      else if (s.kind === "share") events.push({ id: `s${i}`, type: "content.shared", occurredAt: at, memberId: s.member, data: {} });
      else events.push({ id: `p${i}`, type: "profile.completed", occurredAt: at, memberId: s.member, data: {} });
    });
    return events;
  });

describe.each(testDatabases)("engine properties on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await open();
    db = database.db;
  });
  afterAll(() => database.close());

  it("balance = sum of the ledger = sum of the lots ≥ 0; debt = sum of debt changes ≥ 0; sending everything twice changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(history, async (events) => {
        const m = await newMerchant(db);
        await ingestEvents(db, m, events);
        const rows = await queryRows<{ member_id: string; bal: number; debt: number; ledger: number; ledger_debt: number; lots: number; growth: number; glog: number }>(
          db,
          sql`select m.member_id, m.points_balance::int as bal, m.points_debt::int as debt, m.growth::int as growth,
            coalesce((select sum(delta) from points_ledger l where l.merchant_id = m.merchant_id and l.member_id = m.member_id), 0)::int as ledger,
            coalesce((select sum(debt_delta) from points_ledger l where l.merchant_id = m.merchant_id and l.member_id = m.member_id), 0)::int as ledger_debt,
            coalesce((select sum(remaining) from points_lots l where l.merchant_id = m.merchant_id and l.member_id = m.member_id), 0)::int as lots,
            coalesce((select sum(delta) from growth_ledger g where g.merchant_id = m.merchant_id and g.member_id = m.member_id), 0)::int as glog
            from members m where m.merchant_id = ${m}`,
        );
        for (const r of rows) {
          expect(r.bal).toBeGreaterThanOrEqual(0);
          expect(r.debt).toBeGreaterThanOrEqual(0);
          expect(r.ledger).toBe(r.bal);
          expect(r.ledger_debt).toBe(r.debt);
          expect(r.lots).toBe(r.bal);
          expect(r.glog).toBe(r.growth);
        }
        const before = await snapshot(db, m);
        const again = await ingestEvents(db, m, events);
        expect(again.every((x) => x.status === "duplicate" || x.status === "rejected")).toBe(true);
        expect(await snapshot(db, m)).toEqual(before);
      }),
      { numRuns: 12 },
    );
  });

  it("events whose order the rules say does not matter give the same state in any order", async () => {
    // Orders totalling under ¥999 (no tier change), reviews, shares and profiles: shuffled, one request each.
    const calm = fc
      .array(
        fc.record({ kind: fc.constantFrom("order", "review", "share", "profile"), member: fc.constantFrom(...ids), day: fc.integer({ min: 0, max: 3 }), amount: fc.integer({ min: 1, max: 3_000 }) }),
        { minLength: 1, maxLength: 25 },
      )
      .chain((steps) => {
        const events = steps.map((s, i) =>
          s.kind === "order"
            ? { id: `o${i}`, type: "order.paid", occurredAt: day(s.day, 3), memberId: s.member, data: { orderId: `o${i}`, amount: s.amount } }
            : { id: `${s.kind}${i}`, type: s.kind === "review" ? "review.posted" : s.kind === "share" ? "content.shared" : "profile.completed", occurredAt: day(s.day, 3), memberId: s.member, data: {} },
        );
        return fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }));
      });
    await fc.assert(
      fc.asyncProperty(calm, async ([inOrder, shuffled]) => {
        const regs = ids.map((m) => ({ id: `reg-${m}`, type: "member.registered", occurredAt: day(0, 0), memberId: m, data: {} }));
        const a = await newMerchant(db);
        const b = await newMerchant(db);
        await ingestEvents(db, a, [...regs, ...inOrder]);
        await ingestEvents(db, b, regs);
        for (const e of shuffled) await ingestEvents(db, b, [e]);
        const pick = (s: Awaited<ReturnType<typeof snapshot>>) => s.members.map((x) => [x.memberId, x.pointsBalance, x.growth, x.lifetimeSpend, x.orderCount, x.tierCode]);
        expect(pick(await snapshot(db, b))).toEqual(pick(await snapshot(db, a)));
      }),
      { numRuns: 10 },
    );
  });

  it("a rejected event leaves no trace", async () => {
    const bad = fc.constantFrom(
      { id: "x1", type: "order.refunded", occurredAt: day(50, 1), memberId: "A", data: { orderId: "o-known", amount: 999_999 } },
      { id: "x2", type: "order.paid", occurredAt: day(50, 1), memberId: "nobody", data: { orderId: "o-x2", amount: 100 } },
      { id: "x3", type: "member.checked_in", occurredAt: day(1, 5), memberId: "A", data: {} },
      { id: "x4", type: "order.paid", occurredAt: day(50, 1), memberId: "A", data: { orderId: "o-known", amount: 100 } },
      { id: "x5", type: "member.registered", occurredAt: day(50, 1), memberId: "B", data: {} },
      { id: "x6", type: "right.redeemed", occurredAt: day(50, 1), memberId: "A", data: { grantId: "no-such-grant" } },
      { id: "x7", type: "order.paid", occurredAt: day(50, 1), memberId: "A", data: { orderId: "o-x7", amount: -5 } },
    );
    await fc.assert(
      fc.asyncProperty(history, bad, async (events, badEvent) => {
        const m = await newMerchant(db);
        await ingestEvents(db, m, [
          ...events,
          { id: "known", type: "order.paid", occurredAt: day(1, 1), memberId: "A", data: { orderId: "o-known", amount: 500 } },
          { id: "ci-A", type: "member.checked_in", occurredAt: day(1, 2), memberId: "A", data: {} },
        ]);
        const before = await snapshot(db, m);
        const [r] = await ingestEvents(db, m, [badEvent]);
        expect(r.status).toBe("rejected");
        expect(await snapshot(db, m)).toEqual(before);
      }),
      { numRuns: 10 },
    );
  });

  it("200 concurrent redemptions of 100 points against 5,000 points: exactly 50 succeed, balance 0", async () => {
    const m = await newMerchant(db);
    // 100 welcome points + ¥4,900 on 2 January (no campaign): 4,900 points.
    await ingestEvents(db, m, [
      { id: "reg", type: "member.registered", occurredAt: day(0, 0), memberId: "R", data: {} },
      { id: "o", type: "order.paid", occurredAt: day(0, 2), memberId: "R", data: { orderId: "o", amount: 490_000 } },
    ]);
    const outcomes = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => redeemPoints(db, m, "R", { id: `red-${i}`, points: 100, reason: "race" })));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(50);
    expect(outcomes.filter((o) => o.status === "rejected").every((o) => (o as PromiseRejectedResult).reason.code === "insufficient_points")).toBe(true);
    const [r] = await db.select().from(members).where(and(eq(members.merchantId, m), eq(members.memberId, "R")));
    expect(r.pointsBalance).toBe(0);
  });

  it("8 writers sending the same 1,000 events at once: each applied exactly once", async () => {
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < 100; i++) events.push({ id: `reg-${i}`, type: "member.registered", occurredAt: day(0, 0), memberId: `W${i}`, data: {} });
    for (let i = 0; i < 900; i++) events.push({ id: `ord-${i}`, type: "order.paid", occurredAt: day(1 + (i % 3), 1), memberId: `W${i % 100}`, data: { orderId: `ord-${i}`, amount: 1_000 + i } });
    const m = await newMerchant(db);
    const runs = await Promise.all(Array.from({ length: 8 }, () => ingestEvents(db, m, events)));
    for (let i = 0; i < events.length; i++) {
      const statuses = runs.map((r) => r[i].status);
      expect(statuses.filter((s) => s === "applied")).toHaveLength(1);
      expect(statuses.filter((s) => s === "duplicate")).toHaveLength(7);
    }
    // The same events once, on a merchant of their own, give the same state.
    const ref = await newMerchant(db);
    await ingestEvents(db, ref, events);
    const pick = (s: Awaited<ReturnType<typeof snapshot>>) => ({ counts: s.counts, m: s.members.map((x) => [x.memberId, x.pointsBalance, x.growth, x.lifetimeSpend, x.orderCount, x.tierCode]) });
    expect(pick(await snapshot(db, m))).toEqual(pick(await snapshot(db, ref)));
  });

  it("8 batches of 1,000 orders at once over distinct members: all applied (at most two big batches of a process hold their key locks at once)", async () => {
    // 8 × (1,000 members + 1,000 orders) = 16,000 keys held at once: more than PostgreSQL's lock table holds by default.
    const m = await newMerchant(db);
    for (let k = 0; k < 8; k++)
      await ingestEvents(db, m, Array.from({ length: 1000 }, (_, i) => ({ id: `reg-${k}-${i}`, type: "member.registered", occurredAt: day(0, 0), memberId: `K${k}-${i}`, data: {} })));
    const batches = Array.from({ length: 8 }, (_, k) =>
      Array.from({ length: 1000 }, (_, i) => ({ id: `ord-${k}-${i}`, type: "order.paid", occurredAt: day(1, 1), memberId: `K${k}-${i}`, data: { orderId: `o-${k}-${i}`, amount: 500 } })),
    );
    const runs = await Promise.all(batches.map((b) => ingestEvents(db, m, b)));
    for (const r of runs) expect(r.filter((x) => x.status === "applied")).toHaveLength(1000);
    const [row] = await queryRows<{ n: number; orders: number; spend: number }>(
      db,
      sql`select count(*)::int as n, sum(order_count)::int as orders, sum(lifetime_spend)::int as spend from members where merchant_id = ${m}`,
    );
    expect(row).toEqual({ n: 8000, orders: 8000, spend: 8000 * 500 });
  });

  it("single-event requests from 8 clients at once (group commit, groups in flight together), each sent twice: each applied once", async () => {
    const m = await newMerchant(db);
    const regs = Array.from({ length: 6 }, (_, i) => ({ id: `reg-${i}`, type: "member.registered", occurredAt: day(0, 0), memberId: `G${i}`, data: {} }));
    // 240 orders on 6 members (40 each): many groups touch the same member at the same time.
    const orders = Array.from({ length: 240 }, (_, i) => ({ id: `ord-${i}`, type: "order.paid", occurredAt: day(1, 1), memberId: `G${i % 6}`, data: { orderId: `o-${i}`, amount: 100 * (1 + (i % 7)) } }));
    await ingestEvents(db, m, regs);
    const sent = [...orders, ...orders];
    const outcomes: string[][] = orders.map(() => []);
    await Promise.all(
      Array.from({ length: 8 }, async (_, client) => {
        for (let k = client; k < sent.length; k += 8) {
          const [r] = await ingestGrouped(db, m, [sent[k]]);
          outcomes[k % orders.length].push(r.status);
        }
      }),
    );
    for (const o of outcomes) expect(o.sort()).toEqual(["applied", "duplicate"]);
    // Worked out without the engine: member Gj has orders i ≡ j (mod 6); amount 100 × (1 + i mod 7).
    const [row] = await queryRows<{ n: number; spend: number }>(db, sql`select count(*)::int as n, sum(lifetime_spend)::int as spend from members where merchant_id = ${m}`);
    const spend = orders.reduce((s, o) => s + o.data.amount, 0);
    expect(row).toEqual({ n: 6, spend });
    const ref = await newMerchant(db);
    await ingestEvents(db, ref, regs);
    for (const o of orders) await ingestEvents(db, ref, [o]);
    const pick = (s: Awaited<ReturnType<typeof snapshot>>) => ({ counts: s.counts, m: s.members.map((x) => [x.memberId, x.pointsBalance, x.growth, x.lifetimeSpend, x.orderCount, x.tierCode]) });
    expect(pick(await snapshot(db, m))).toEqual(pick(await snapshot(db, ref)));
  });
});
