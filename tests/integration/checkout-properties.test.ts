import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { and, eq, sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { queryRows } from "@/db/client";
import { holds, members } from "@/db/schema";
import { createMerchant } from "@/lib/tenancy/merchants";
import { ingestEvents } from "@/lib/engine/ingest";
import { checkoutQuote, confirmHold, createHold, releaseHold } from "@/lib/checkout/holds";
import { holdInput } from "@/lib/schemas/checkout";
import { AppError } from "@/lib/errors";
import { testDatabases } from "../db";

/**
 * Random sequences of checkout and engine work on two members of the demo program: orders (earn),
 * holds of points / the welcome coupon / stored value, confirms (then the order's order.paid),
 * releases, holds lapsing (their expiry moved into the past, as time passing would), partial and
 * full refunds, top-ups and top-up refunds. After every step: points balance = Σ points ledger =
 * Σ lots remaining ≥ 0, no lot below what open holds set aside of it, held ≤ balance, wallet
 * principal and bonus ≥ 0, each = Σ wallet ledger and = Σ of its top-ups' unspent parts. At the end,
 * sending every request again changes nothing.
 */
const ids = ["A", "B"] as const;
const step = fc.record({
  kind: fc.constantFrom("order", "hold", "hold", "confirm", "confirm", "release", "lapse", "refund", "refund", "topUp", "topUpRefund"),
  member: fc.constantFrom(...ids),
  pick: fc.nat(1_000),
  amount: fc.integer({ min: 10_000, max: 200_000 }),
  pct: fc.integer({ min: 1, max: 100 }),
  coupon: fc.boolean(),
});

let n = 0;

describe.each(testDatabases)("checkout properties on $name", ({ open }) => {
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await open();
    db = database.db;
  });
  afterAll(() => database.close());

  async function invariants(m: string) {
    const rows = await queryRows<Record<string, number | string>>(
      db,
      sql`select m.member_id, m.points_balance::bigint as bal,
        coalesce((select sum(delta) from points_ledger l where l.merchant_id = m.merchant_id and l.member_id = m.member_id), 0)::bigint as ledger,
        coalesce((select sum(remaining) from points_lots l where l.merchant_id = m.merchant_id and l.member_id = m.member_id), 0)::bigint as lots,
        coalesce((select min(remaining) from points_lots l where l.merchant_id = m.merchant_id and l.member_id = m.member_id), 0)::bigint as min_lot,
        coalesce((select sum(h.points) from holds h where h.merchant_id = m.merchant_id and h.member_id = m.member_id and h.status = 'held' and h.expires_at > now()), 0)::bigint as held,
        (select count(*) from points_lots l where l.merchant_id = m.merchant_id and l.member_id = m.member_id and l.remaining < coalesce((
          select sum(hl.points) from hold_lots hl join holds h on h.merchant_id = hl.merchant_id and h.hold_id = hl.hold_id
          where hl.merchant_id = l.merchant_id and hl.lot_id = l.id and h.status = 'held' and h.expires_at > now()), 0))::int as overheld,
        coalesce((select principal from wallets w where w.merchant_id = m.merchant_id and w.member_id = m.member_id), 0)::bigint as principal,
        coalesce((select bonus from wallets w where w.merchant_id = m.merchant_id and w.member_id = m.member_id), 0)::bigint as bonus,
        coalesce((select sum(principal) from wallet_ledger w where w.merchant_id = m.merchant_id and w.member_id = m.member_id), 0)::bigint as lp,
        coalesce((select sum(bonus) from wallet_ledger w where w.merchant_id = m.merchant_id and w.member_id = m.member_id), 0)::bigint as lb,
        coalesce((select sum(principal_left) from wallet_top_ups t where t.merchant_id = m.merchant_id and t.member_id = m.member_id), 0)::bigint as tp,
        coalesce((select sum(bonus_left) from wallet_top_ups t where t.merchant_id = m.merchant_id and t.member_id = m.member_id), 0)::bigint as tb
        from members m where m.merchant_id = ${m} order by m.member_id`,
    );
    for (const raw of rows) {
      const r = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, k === "member_id" ? v : Number(v)])) as Record<string, number>;
      expect(r.bal, JSON.stringify(r)).toBeGreaterThanOrEqual(0);
      expect(r.ledger, JSON.stringify(r)).toBe(r.bal);
      expect(r.lots, JSON.stringify(r)).toBe(r.bal);
      expect(r.min_lot, JSON.stringify(r)).toBeGreaterThanOrEqual(0);
      expect(r.overheld, JSON.stringify(r)).toBe(0);
      expect(r.held, JSON.stringify(r)).toBeLessThanOrEqual(r.bal);
      expect(r.principal, JSON.stringify(r)).toBeGreaterThanOrEqual(0);
      expect(r.bonus, JSON.stringify(r)).toBeGreaterThanOrEqual(0);
      expect([r.lp, r.lb], JSON.stringify(r)).toEqual([r.principal, r.bonus]);
      expect([r.tp, r.tb], JSON.stringify(r)).toEqual([r.principal, r.bonus]);
    }
  }

  async function snapshot(m: string) {
    const ms = await db.select().from(members).where(eq(members.merchantId, m)).orderBy(members.memberId);
    const hs = await db.select({ id: holds.holdId, status: holds.status }).from(holds).where(eq(holds.merchantId, m)).orderBy(holds.holdId);
    const [counts] = await queryRows(
      db,
      sql`select (select count(*)::int from events where merchant_id = ${m}) as events,
        (select count(*)::int from points_ledger where merchant_id = ${m}) as ledger,
        (select coalesce(sum(remaining), 0)::int from points_lots where merchant_id = ${m}) as lots,
        (select count(*)::int from wallet_ledger where merchant_id = ${m}) as wallet_ledger,
        (select coalesce(sum(principal_left + bonus_left), 0)::int from wallet_top_ups where merchant_id = ${m}) as top_ups,
        (select coalesce(sum(returned), 0)::int from hold_lots where merchant_id = ${m}) as returned,
        (select count(*)::int from right_instances where merchant_id = ${m} and redeemed_at is not null) as redeemed`,
    );
    return { members: ms.map(({ updatedAt: _u, ...x }) => x), holds: hs, counts };
  }

  it("balance = Σ ledger = Σ lots ≥ held, wallet = Σ wallet ledger = Σ top-ups left ≥ 0, after every step; replaying changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 22 }), async (steps) => {
        const m = (await createMerchant(db, { slug: `cp-${++n}`, name: "CP", demoProgram: true })).id;
        const base = Date.parse("2026-11-20T02:00:00Z");
        const at = (i: number) => new Date(base + i * 3_600_000).toISOString();
        const events: Record<string, unknown>[] = ids.map((x) => ({ id: `reg-${x}`, type: "member.registered", occurredAt: at(0), memberId: x, data: {} }));
        const send = async (e: Record<string, unknown>) => {
          const [r] = await ingestEvents(db, m, [e]);
          if (r.status === "applied") events.push(e);
          // Refusals (e.g. a top-up refund over what is unspent) are fine; anything else is not.
          if (r.status === "rejected") expect(["insufficient_balance"], JSON.stringify(r)).toContain(r.error!.code);
          return r.status;
        };
        expect((await ingestEvents(db, m, events)).every((r) => r.status === "applied")).toBe(true);
        const holdInputs: { memberId: string; input: ReturnType<typeof holdInput.parse> }[] = [];
        const paid: { orderId: string; member: string; left: number }[] = [];
        const topUps: { topUpId: string; member: string }[] = [];
        const openHolds: { id: string; member: string; orderId: string; pay: number }[] = [];
        const closes: { id: string; kind: "confirm" | "release" }[] = [];
        const tolerated = (e: unknown) => {
          // What a random client may be refused; every refusal changes nothing (the invariants check it).
          if (e instanceof AppError && ["insufficient_points", "insufficient_balance", "right_unavailable", "hold_closed", "validation_failed"].includes(e.code)) return;
          throw e;
        };
        for (const [i, s] of steps.entries()) {
          const t = at(i + 1);
          if (s.kind === "order") {
            const orderId = `O${i}`;
            if ((await send({ id: `o${i}`, type: "order.paid", occurredAt: t, memberId: s.member, data: { orderId, amount: s.amount } })) === "applied") paid.push({ orderId, member: s.member, left: s.amount });
          } else if (s.kind === "hold") {
            const q = await checkoutQuote(db, m, s.member, s.amount);
            const points = Math.floor((q.points.maxUsable * s.pct) / 100 / 100) * 100;
            const coupon = s.coupon ? q.coupons.find((c) => c.usable) : undefined;
            const room = s.amount - points - (coupon?.discount ?? 0);
            const wallet = Math.min(q.wallet.available, Math.floor((room * (100 - s.pct)) / 100));
            const input = holdInput.parse({ id: `H${i}`, orderId: `P${i}`, amount: s.amount, points, grantIds: coupon ? [coupon.grantId] : [], wallet });
            try {
              const h = await createHold(db, m, s.member, input);
              holdInputs.push({ memberId: s.member, input });
              openHolds.push({ id: h.hold.id, member: s.member, orderId: h.hold.orderId, pay: h.hold.payable + h.hold.wallet });
            } catch (e) {
              tolerated(e);
            }
          } else if ((s.kind === "confirm" || s.kind === "release" || s.kind === "lapse") && openHolds.length) {
            const [h] = openHolds.splice(s.pick % openHolds.length, 1);
            try {
              if (s.kind === "confirm") {
                await confirmHold(db, m, h.id);
                closes.push({ id: h.id, kind: "confirm" });
                // The order is then paid: cash plus stored value.
                if ((await send({ id: `p${i}`, type: "order.paid", occurredAt: t, memberId: h.member, data: { orderId: h.orderId, amount: h.pay } })) === "applied")
                  paid.push({ orderId: h.orderId, member: h.member, left: h.pay });
              } else if (s.kind === "release") {
                await releaseHold(db, m, h.id);
                closes.push({ id: h.id, kind: "release" });
              }
              else await db.update(holds).set({ expiresAt: new Date(Date.now() - 1_000) }).where(and(eq(holds.merchantId, m), eq(holds.holdId, h.id)));
            } catch (e) {
              tolerated(e);
            }
          } else if (s.kind === "refund" && paid.some((o) => o.left > 0)) {
            const open = paid.filter((o) => o.left > 0);
            const o = open[s.pick % open.length];
            const amount = s.pct > 60 ? o.left : Math.max(1, Math.floor((o.left * s.pct) / 100));
            if ((await send({ id: `f${i}`, type: "order.refunded", occurredAt: t, memberId: o.member, data: { orderId: o.orderId, amount } })) === "applied") o.left -= amount;
          } else if (s.kind === "topUp") {
            const topUpId = `T${i}`;
            if ((await send({ id: `t${i}`, type: "wallet.topped_up", occurredAt: t, memberId: s.member, data: { topUpId, amount: s.amount } })) === "applied") topUps.push({ topUpId, member: s.member });
          } else if (s.kind === "topUpRefund" && topUps.length) {
            const tu = topUps[s.pick % topUps.length];
            await send({ id: `u${i}`, type: "wallet.top_up_refunded", occurredAt: t, memberId: tu.member, data: { topUpId: tu.topUpId, amount: Math.max(1, Math.floor((s.amount * s.pct) / 200)) } });
          }
          await invariants(m);
        }

        // Every request that was accepted, again: events are duplicates, holds answer as before, confirms and releases are idempotent.
        const before = await snapshot(m);
        const again = await ingestEvents(db, m, events);
        expect(again.every((r) => r.status === "duplicate"), JSON.stringify(again.filter((r) => r.status !== "duplicate"))).toBe(true);
        for (const h of holdInputs) await createHold(db, m, h.memberId, h.input).catch(tolerated);
        for (const c of closes) await (c.kind === "confirm" ? confirmHold(db, m, c.id) : releaseHold(db, m, c.id));
        expect(await snapshot(m)).toEqual(before);
        await invariants(m);
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});
