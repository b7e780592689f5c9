import { and, asc, eq, gt, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { coded, codeColumns } from "@/lib/reasons/row";
import type { Db } from "@/db/client";
import { holdGrants, holdLots, holds, holdTopUps, members, pointsLedger, pointsLots, rightInstances, wallets, walletLedger, walletTopUps } from "@/db/schema";
import { AppError, type Issue } from "@/lib/errors";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { lockKeys } from "@/lib/engine/load";
import { openDayLogSql } from "@/lib/metrics/rollup";
import { currentProgram, type LoadedProgram } from "@/lib/program/store";
import { getMemberRowOrThrow } from "@/lib/members/read-member";
import type { CheckoutAnswer, HoldAnswer, holdInput } from "@/lib/schemas/checkout";
import { businessDate } from "@/lib/util/dates";
import { canonicalJson, sha256 } from "@/lib/util/ids";
import { couponDiscount, maxUsablePoints, pointsValueFen, splitWalletSpend, type CouponQuote } from "./math";
import type { z } from "zod";

type HoldRow = typeof holds.$inferSelect;
type RightRow = typeof rightInstances.$inferSelect;

/** Held and not yet past its expiry: what it set aside is unavailable to anything else. */
const isOpen = (h: Pick<HoldRow, "status" | "expiresAt">, now: Date) => h.status === "held" && h.expiresAt > now;
const openHolds = (now: Date) => and(eq(holds.status, "held"), gt(holds.expiresAt, now));

/** Points each of a member's lots has set aside for open holds. */
export async function heldPointsByLot(db: Db, merchantId: string, memberId: string, now: Date): Promise<Map<number, number>> {
  const rows = await db
    .select({ lotId: holdLots.lotId, points: sql<number>`sum(${holdLots.points})`.mapWith(Number) })
    .from(holdLots)
    .innerJoin(holds, and(eq(holds.merchantId, holdLots.merchantId), eq(holds.holdId, holdLots.holdId)))
    .where(and(eq(holdLots.merchantId, merchantId), eq(holdLots.memberId, memberId), openHolds(now)))
    .groupBy(holdLots.lotId);
  return new Map(rows.map((r) => [r.lotId, r.points]));
}

/** Points and stored value a member's open holds set aside. */
export async function heldTotals(db: Db, merchantId: string, memberId: string, now: Date) {
  const [row] = await db
    .select({ points: sql<number>`coalesce(sum(${holds.points}), 0)`.mapWith(Number), wallet: sql<number>`coalesce(sum(${holds.wallet}), 0)`.mapWith(Number) })
    .from(holds)
    .where(and(eq(holds.merchantId, merchantId), eq(holds.memberId, memberId), openHolds(now)));
  return row;
}

/** The member's stored value as member reads show it, and the points their open holds set aside (`heldPoints`). */
export async function walletView(db: Db, merchantId: string, memberId: string, now = new Date()) {
  const [[w], held] = await Promise.all([
    db.select().from(wallets).where(and(eq(wallets.merchantId, merchantId), eq(wallets.memberId, memberId))),
    heldTotals(db, merchantId, memberId, now),
  ]);
  const principal = w?.principal ?? 0;
  const bonus = w?.bonus ?? 0;
  return { balance: principal + bonus, principal, bonus, held: held.wallet, available: principal + bonus - held.wallet, heldPoints: held.points };
}

/** Grant ids among `grantIds` that an open hold uses. */
async function heldGrantIds(db: Db, merchantId: string, grantIds: string[], now: Date): Promise<Set<string>> {
  if (grantIds.length === 0) return new Set();
  const rows = await db
    .select({ grantId: holdGrants.grantId })
    .from(holdGrants)
    .innerJoin(holds, and(eq(holds.merchantId, holdGrants.merchantId), eq(holds.holdId, holdGrants.holdId)))
    .where(and(eq(holdGrants.merchantId, merchantId), inArray(holdGrants.grantId, grantIds), openHolds(now)));
  return new Set(rows.map((r) => r.grantId));
}

/** What a coupon instance takes off `amount`, or null when its right is not usable at checkout. */
function instanceDiscount(program: LoadedProgram, r: RightRow, amount: number): CouponQuote | null {
  const effect = program.rights.find((x) => x.code === r.rightCode)?.coupon;
  if (!effect) return null;
  // A fixed amount of null is the instance's face value: its cost for its tier (a birthday coupon's ¥50/¥100/¥200).
  return couponDiscount(effect.type === "amount" ? { ...effect, amount: effect.amount ?? r.unitCost } : effect, amount);
}

const rightName = (program: LoadedProgram, code: string) => program.rights.find((r) => r.code === code)?.name.zh ?? code;

/** Coupons past their expiry stay in the quote this long, marked expired, so a cashier sees why one is missing. */
const EXPIRED_SHOWN_MS = 7 * 86_400_000;

/** GET /api/v1/members/{memberId}/checkout: what the member may use on an order of `amount` fen. */
export async function checkoutQuote(db: Db, merchantId: string, memberId: string, amount: number, now = new Date()): Promise<CheckoutAnswer> {
  const m = await getMemberRowOrThrow(db, merchantId, memberId);
  const program = await currentProgram(db, merchantId);
  const couponCodes = program.rights.filter((r) => r.coupon).map((r) => r.code);
  const [held, wallet, coupons] = await Promise.all([
    heldTotals(db, merchantId, memberId, now),
    walletView(db, merchantId, memberId, now),
    couponCodes.length === 0
      ? Promise.resolve([] as RightRow[])
      : db
          .select()
          .from(rightInstances)
          .where(
            and(
              eq(rightInstances.merchantId, merchantId),
              eq(rightInstances.memberId, memberId),
              inArray(rightInstances.rightCode, couponCodes),
              isNull(rightInstances.redeemedAt),
              isNull(rightInstances.voidedAt),
              or(isNull(rightInstances.expiresAt), gt(rightInstances.expiresAt, new Date(now.getTime() - EXPIRED_SHOWN_MS))),
            ),
          )
          .orderBy(asc(rightInstances.expiresAt), asc(rightInstances.grantId))
          .limit(100),
  ]);
  const heldGrants = await heldGrantIds(db, merchantId, coupons.map((c) => c.grantId), now);
  const available = m.pointsBalance - held.points;
  const rule = program.points.pointsAsCash;
  return {
    amount,
    points: { available, maxUsable: maxUsablePoints(rule, available, amount, program.points.pointValueCentiFen), pointValue: program.points.pointValueCentiFen / 100 },
    coupons: coupons.map((c) => {
      const base = { grantId: c.grantId, code: c.code, right: c.rightCode };
      if (c.expiresAt && c.expiresAt <= now) return { ...base, discount: 0, usable: false, reason: "expired" as const };
      if (heldGrants.has(c.grantId)) return { ...base, discount: 0, usable: false, reason: "held" as const };
      const q = instanceDiscount(program, c, amount)!;
      return q.usable ? { ...base, discount: q.discount, usable: true } : { ...base, discount: 0, usable: false, reason: q.reason };
    }),
    wallet: { available: wallet.available },
  };
}

async function holdAnswer(db: Db, h: HoldRow, now: Date): Promise<HoldAnswer> {
  const grants = await db
    .select({ grantId: holdGrants.grantId, discount: holdGrants.discount })
    .from(holdGrants)
    .where(and(eq(holdGrants.merchantId, h.merchantId), eq(holdGrants.holdId, h.holdId)))
    .orderBy(asc(holdGrants.grantId));
  return {
    id: h.holdId,
    memberId: h.memberId,
    // An open hold past its expiry has released itself.
    status: h.status === "held" && !isOpen(h, now) ? "released" : h.status,
    orderId: h.orderId,
    amount: h.amount,
    points: h.points,
    pointsValue: h.pointsValue,
    grants,
    wallet: h.wallet,
    payable: h.payable,
    expiresAt: h.expiresAt.toISOString(),
  };
}

async function findHold(db: Db, merchantId: string, holdId: string) {
  const [h] = await db.select().from(holds).where(and(eq(holds.merchantId, merchantId), eq(holds.holdId, holdId)));
  return h;
}

async function findHoldOrThrow(db: Db, merchantId: string, holdId: string) {
  const h = await findHold(db, merchantId, holdId);
  if (!h) throw new AppError("not_found", `hold ${holdId} not found`);
  return h;
}

/** Why a coupon instance cannot go into this hold, or null when it can. */
function couponRefusal(program: LoadedProgram, r: RightRow | undefined, memberId: string, amount: number, heldElsewhere: boolean, now: Date): string | null {
  if (!r || r.memberId !== memberId) return "not a coupon of this member";
  if (r.voidedAt) return "voided";
  if (r.redeemedAt) return "already used";
  if (r.expiresAt && r.expiresAt <= now) return "expired";
  if (heldElsewhere) return "held by another checkout";
  const q = instanceDiscount(program, r, amount);
  if (!q) return `${rightName(program, r.rightCode)} is not usable at checkout`;
  if (!q.usable) return `needs an order of at least ${q.minSpend} fen`;
  return null;
}

/**
 * POST /api/v1/members/{memberId}/holds: sets aside points (from lots, oldest-expiring first),
 * coupons and stored value for one order, in one transaction under the member's lock (the lock
 * every engine batch of this member takes too). `id` is the idempotency key: the same body again
 * answers the same hold; another body is a conflict. A refusal changes nothing.
 */
export async function createHold(db: Db, merchantId: string, memberId: string, input: z.output<typeof holdInput>, now = new Date()): Promise<{ hold: HoldAnswer; created: boolean }> {
  const hash = sha256(canonicalJson(input));
  return db.transaction(async (tx) => {
    await lockKeys(tx, merchantId, [`m:${memberId}`]);
    const prior = await findHold(tx, merchantId, input.id);
    if (prior) {
      if (prior.bodyHash !== hash || prior.memberId !== memberId) throw new AppError("conflict", `hold ${input.id} was already made with a different body`, [{ path: "id", message: "already used for another hold" }]);
      return { hold: await holdAnswer(tx, prior, now), created: false };
    }
    const m = await getMemberRowOrThrow(tx, merchantId, memberId);
    const program = await currentProgram(tx, merchantId);
    const held = await heldTotals(tx, merchantId, memberId, now);

    // Points, checked in the order api.md gives: more than available (409), then the program's limits (400).
    const rule = program.points.pointsAsCash;
    const available = m.pointsBalance - held.points;
    let lotTakes: { lotId: number; points: number }[] = [];
    if (input.points > 0) {
      if (input.points > available)
        throw new AppError("insufficient_points", `${input.points} points asked, ${available} available`, [{ path: "points", message: `more than the ${available} available points` }]);
      const maxUsable = maxUsablePoints(rule, available, input.amount, program.points.pointValueCentiFen);
      const issues: Issue[] = [];
      if (!rule.enabled) issues.push({ path: "points", message: "points cannot be used as cash in this program" });
      else if (input.points % rule.step !== 0) issues.push({ path: "points", message: `must be a multiple of ${rule.step}` });
      else if (input.points > maxUsable) issues.push({ path: "points", message: `at most ${maxUsable} points on an order of ${input.amount} fen` });
      if (issues.length) throw new AppError("validation_failed", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
      lotTakes = await takeUnheldLots(tx, merchantId, memberId, input.points, now);
    }
    const pointsValue = pointsValueFen(input.points, program.points.pointValueCentiFen);

    // Coupons.
    const grantIds = input.grantIds;
    const dupes = grantIds.map((g, i) => (grantIds.indexOf(g) !== i ? { path: `grantIds.${i}`, message: "listed twice" } : null)).filter((x): x is Issue => !!x);
    if (dupes.length) throw new AppError("validation_failed", "a coupon is listed twice", dupes);
    const rows = grantIds.length ? await tx.select().from(rightInstances).where(and(eq(rightInstances.merchantId, merchantId), inArray(rightInstances.grantId, grantIds))) : [];
    const byId = new Map(rows.map((r) => [r.grantId, r]));
    const heldGrants = await heldGrantIds(tx, merchantId, grantIds, now);
    const refusals = grantIds
      .map((g, i) => ({ path: `grantIds.${i}`, message: couponRefusal(program, byId.get(g), memberId, input.amount, heldGrants.has(g), now) }))
      .filter((x): x is Issue => x.message !== null);
    if (refusals.length) throw new AppError("right_unavailable", refusals.map((i) => `${i.path}: ${i.message}`).join("; "), refusals);
    const grants = grantIds.map((g) => ({ grantId: g, discount: (instanceDiscount(program, byId.get(g)!, input.amount) as { discount: number }).discount }));

    // Stored value.
    if (input.wallet > 0) {
      const w = await walletView(tx, merchantId, memberId, now);
      if (input.wallet > w.available)
        throw new AppError("insufficient_balance", `${input.wallet} fen of stored value asked, ${w.available} available`, [{ path: "wallet", message: `more than the ${w.available} fen available` }]);
    }

    const payable = input.amount - pointsValue - grants.reduce((s, g) => s + g.discount, 0) - input.wallet;
    if (payable < 0)
      throw new AppError("validation_failed", `points, coupons and stored value come to more than the order (payable ${payable})`, [
        { path: "payable", message: `would be ${payable} fen: use less points, coupons or stored value` },
      ]);

    const [h] = await tx
      .insert(holds)
      .values({
        merchantId,
        holdId: input.id,
        memberId,
        orderId: input.orderId,
        amount: input.amount,
        points: input.points,
        pointsValue,
        wallet: input.wallet,
        payable,
        status: "held",
        bodyHash: hash,
        createdAt: now,
        expiresAt: new Date(now.getTime() + input.ttlSeconds * 1000),
      })
      .returning();
    if (lotTakes.length) await tx.insert(holdLots).values(lotTakes.map((t) => ({ merchantId, holdId: input.id, memberId, lotId: t.lotId, points: t.points })));
    if (grants.length) await tx.insert(holdGrants).values(grants.map((g) => ({ merchantId, holdId: input.id, ...g })));
    return { hold: await holdAnswer(tx, h, now), created: true };
  });
}

/** Takes `points` from the member's lots not set aside by open holds, oldest-expiring first (checkout holds, mall orders). */
export async function takeUnheldLots(tx: Db, merchantId: string, memberId: string, points: number, now: Date) {
  const [lots, heldByLot] = await Promise.all([
    tx
      .select({ id: pointsLots.id, remaining: pointsLots.remaining })
      .from(pointsLots)
      .where(and(eq(pointsLots.merchantId, merchantId), eq(pointsLots.memberId, memberId), gt(pointsLots.remaining, 0)))
      .orderBy(asc(pointsLots.expiresAt), asc(pointsLots.id)),
    heldPointsByLot(tx, merchantId, memberId, now),
  ]);
  const takes: { lotId: number; points: number }[] = [];
  let left = points;
  for (const lot of lots) {
    if (left === 0) break;
    const take = Math.min(lot.remaining - (heldByLot.get(lot.id) ?? 0), left);
    if (take <= 0) continue;
    takes.push({ lotId: lot.id, points: take });
    left -= take;
  }
  // The balance is Σ lots remaining, so available points are always in some lot.
  if (left > 0) throw new AppError("insufficient_points", `${points} points asked, ${points - left} free in the member's lots`, [{ path: "points", message: "more than the available points" }]);
  return takes;
}

/** Locks the hold's member (as every writer of that member does) and reads the hold again under the lock. */
async function lockedHold(tx: Db, merchantId: string, holdId: string) {
  const before = await findHoldOrThrow(tx, merchantId, holdId);
  await lockKeys(tx, merchantId, [`m:${before.memberId}`]);
  return findHoldOrThrow(tx, merchantId, holdId);
}

/**
 * POST /api/v1/holds/{holdId}/confirm: spends what the hold set aside — the points from the lots it
 * recorded (a lot that expired meanwhile still pays, and the ledger row says so), the coupons
 * redeemed, the stored value debited (principal and bonus in proportion, oldest top-ups first).
 * Idempotent; a released or expired hold → 409 hold_closed.
 */
export async function confirmHold(db: Db, merchantId: string, holdId: string, now = new Date()): Promise<HoldAnswer> {
  return db.transaction(async (tx) => {
    const h = await lockedHold(tx, merchantId, holdId);
    if (h.status === "confirmed") return holdAnswer(tx, h, now);
    if (!isOpen(h, now)) throw new AppError("hold_closed", `hold ${holdId} was ${h.status === "released" ? "released" : "not confirmed before it expired"}`);
    const program = await currentProgram(tx, merchantId);
    const date = businessDate(now, program.timeZone);
    const source = `hold:${holdId}`;
    const grantIds = (await tx.select({ grantId: holdGrants.grantId }).from(holdGrants).where(and(eq(holdGrants.merchantId, merchantId), eq(holdGrants.holdId, holdId)))).map((g) => g.grantId);
    const taken =
      h.points > 0
        ? await tx
            .select({ lotId: holdLots.lotId, points: holdLots.points, expiresAt: pointsLots.expiresAt, remaining: pointsLots.remaining })
            .from(holdLots)
            .innerJoin(pointsLots, and(eq(pointsLots.merchantId, holdLots.merchantId), eq(pointsLots.memberId, holdLots.memberId), eq(pointsLots.id, holdLots.lotId)))
            .where(and(eq(holdLots.merchantId, merchantId), eq(holdLots.holdId, holdId)))
        : [];
    await assertStillCoveredOrThrow(tx, h, taken, grantIds, now);

    if (h.points > 0) {
      for (const t of taken)
        await tx
          .update(pointsLots)
          .set({ remaining: sql`${pointsLots.remaining} - ${t.points}` })
          .where(and(eq(pointsLots.merchantId, merchantId), eq(pointsLots.memberId, h.memberId), eq(pointsLots.id, t.lotId)));
      const expired = taken.filter((t) => t.expiresAt <= now).reduce((s, t) => s + t.points, 0);
      const why = coded("checkout", { orderId: h.orderId, expiredHeld: expired });
      await tx.insert(pointsLedger).values({ merchantId, memberId: h.memberId, delta: -h.points, kind: "spend", source, rule: "checkout", reason: why.reason, ...codeColumns(why), programVersion: program.version, occurredAt: now, businessDate: date });
      await tx
        .update(members)
        .set({ pointsBalance: sql`${members.pointsBalance} - ${h.points}`, updatedAt: now })
        .where(and(eq(members.merchantId, merchantId), eq(members.memberId, h.memberId)));
    }

    if (grantIds.length)
      await tx
        .update(rightInstances)
        .set({ redeemedAt: now, redeemedDate: date })
        .where(and(eq(rightInstances.merchantId, merchantId), inArray(rightInstances.grantId, grantIds), isNull(rightInstances.redeemedAt)));

    if (h.wallet > 0) await debitWallet(tx, merchantId, h, now, date);

    const [closed] = await tx.update(holds).set({ status: "confirmed", closedAt: now }).where(and(eq(holds.merchantId, merchantId), eq(holds.holdId, holdId))).returning();
    await tx.execute(openDayLogSql(merchantId, [`m:${h.memberId}`]));
    return holdAnswer(tx, closed, now);
  });
}

/**
 * A hold is confirmed against the clock its caller read before it waited for the member's lock; if
 * meanwhile it expired and something else took what it had set aside (a new hold, a redemption, a
 * clawback, a coupon used or voided), confirming it would spend that twice. Whatever the clocks
 * say, it confirms only while each of its lots still has its points beside what other open holds set
 * aside there, its stored value is still there beside theirs, and its coupons are unused, not void
 * and in no other open hold.
 */
async function assertStillCoveredOrThrow(tx: Db, h: HoldRow, taken: { lotId: number; points: number; remaining: number }[], grantIds: string[], now: Date) {
  const closed = () => new AppError("hold_closed", `hold ${h.holdId} expired and what it set aside has been used since`);
  if (taken.length) {
    const held = await heldPointsByLot(tx, h.merchantId, h.memberId, now);
    for (const t of taken) if (t.remaining - ((held.get(t.lotId) ?? 0) - t.points) < t.points) throw closed();
  }
  if (h.wallet > 0) {
    const w = await walletView(tx, h.merchantId, h.memberId, now);
    if (w.balance - (w.held - h.wallet) < h.wallet) throw closed();
  }
  if (grantIds.length) {
    const rows = await tx.select().from(rightInstances).where(and(eq(rightInstances.merchantId, h.merchantId), inArray(rightInstances.grantId, grantIds)));
    if (rows.length !== grantIds.length || rows.some((r) => r.redeemedAt || r.voidedAt)) throw closed();
    const elsewhere = await tx
      .select({ holdId: holdGrants.holdId })
      .from(holdGrants)
      .innerJoin(holds, and(eq(holds.merchantId, holdGrants.merchantId), eq(holds.holdId, holdGrants.holdId)))
      .where(and(eq(holdGrants.merchantId, h.merchantId), inArray(holdGrants.grantId, grantIds), openHolds(now), ne(holds.holdId, h.holdId)));
    if (elsewhere.length) throw closed();
  }
}

/** Debits a confirmed hold's stored value: principal and bonus in proportion to the balances, each from the oldest top-ups first. */
async function debitWallet(tx: Db, merchantId: string, h: HoldRow, now: Date, date: string) {
  const [w] = await tx.select().from(wallets).where(and(eq(wallets.merchantId, merchantId), eq(wallets.memberId, h.memberId)));
  const split = splitWalletSpend(h.wallet, w.principal, w.bonus);
  const topUps = await tx
    .select()
    .from(walletTopUps)
    .where(and(eq(walletTopUps.merchantId, merchantId), eq(walletTopUps.memberId, h.memberId), or(gt(walletTopUps.principalLeft, 0), gt(walletTopUps.bonusLeft, 0))))
    .orderBy(asc(walletTopUps.toppedUpAt), asc(walletTopUps.topUpId));
  let p = split.principal;
  let b = split.bonus;
  for (const t of topUps) {
    const tp = Math.min(p, t.principalLeft);
    const tb = Math.min(b, t.bonusLeft);
    if (tp === 0 && tb === 0) continue;
    p -= tp;
    b -= tb;
    await tx
      .update(walletTopUps)
      .set({ principalLeft: t.principalLeft - tp, bonusLeft: t.bonusLeft - tb })
      .where(and(eq(walletTopUps.merchantId, merchantId), eq(walletTopUps.topUpId, t.topUpId)));
    await tx.insert(holdTopUps).values({ merchantId, holdId: h.holdId, topUpId: t.topUpId, principal: tp, bonus: tb });
  }
  const principalAfter = w.principal - split.principal;
  const bonusAfter = w.bonus - split.bonus;
  await tx.update(wallets).set({ principal: principalAfter, bonus: bonusAfter }).where(and(eq(wallets.merchantId, merchantId), eq(wallets.memberId, h.memberId)));
  await tx.insert(walletLedger).values({
    merchantId,
    memberId: h.memberId,
    type: "spend",
    source: `hold:${h.holdId}`,
    principal: -split.principal,
    bonus: -split.bonus,
    principalAfter,
    bonusAfter,
    at: now,
    businessDate: date,
  });
}

/**
 * POST /api/v1/holds/{holdId}/release: gives back what the hold set aside. Idempotent (an expired
 * hold releases too); a confirmed hold → 409 hold_closed. An operator's release names who and why
 * and is audited.
 */
export async function releaseHold(db: Db, merchantId: string, holdId: string, by: { actor: Actor; reason: string; memberId: string } | null = null, now = new Date()): Promise<HoldAnswer> {
  return db.transaction(async (tx) => {
    const h = await lockedHold(tx, merchantId, holdId);
    if (by && h.memberId !== by.memberId) throw new AppError("not_found", `hold ${holdId} not found for member ${by.memberId}`);
    if (h.status === "confirmed") throw new AppError("hold_closed", `hold ${holdId} is already confirmed: a refund gives back what it spent`);
    if (h.status === "released") return holdAnswer(tx, h, now);
    const releasedBy = by ? { kind: by.actor.kind, id: by.actor.kind === "user" ? by.actor.email : by.actor.prefix, reason: by.reason } : null;
    const [closed] = await tx
      .update(holds)
      .set({ status: "released", closedAt: now, releasedBy })
      .where(and(eq(holds.merchantId, merchantId), eq(holds.holdId, holdId)))
      .returning();
    if (by) await writeAudit(tx, by.actor, { merchantId, action: "hold.release", entity: "member", entityId: h.memberId, before: { hold: holdId, status: "held" }, after: { hold: holdId, status: "released", reason: by.reason } });
    return holdAnswer(tx, closed, now);
  });
}

/** The member's holds still open, newest first (the member page). */
export async function openHoldsOf(db: Db, merchantId: string, memberId: string, now = new Date()) {
  const rows = await db
    .select()
    .from(holds)
    .where(and(eq(holds.merchantId, merchantId), eq(holds.memberId, memberId), openHolds(now)))
    .orderBy(sql`${holds.createdAt} desc`);
  return Promise.all(rows.map((h) => holdAnswer(db, h, now)));
}

