import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { holdTopUps, wallets, walletLedger, walletTopUps } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { WalletRules } from "@/lib/schemas/program";
import { proRata, topUpBonus } from "./math";
import { heldTotals } from "./holds";
import { emitDomainEvents, walletEvent } from "@/lib/webhooks/domain-events";

type LedgerType = (typeof walletLedger.$inferInsert)["type"];

/** Adds signed principal and bonus changes to the member's wallet and appends the ledger row (the caller holds the member's lock). */
async function postWallet(tx: Db, merchantId: string, memberId: string, row: { type: LedgerType; source: string; principal: number; bonus: number; at: Date; date: string }) {
  const [w] = await tx
    .insert(wallets)
    .values({ merchantId, memberId, principal: row.principal, bonus: row.bonus })
    .onConflictDoUpdate({ target: [wallets.merchantId, wallets.memberId], set: { principal: sql`${wallets.principal} + ${row.principal}`, bonus: sql`${wallets.bonus} + ${row.bonus}` } })
    .returning();
  const ledger = { memberId, type: row.type, source: row.source, principal: row.principal, bonus: row.bonus, principalAfter: w.principal, bonusAfter: w.bonus, at: row.at, businessDate: row.date };
  await tx.insert(walletLedger).values({ merchantId, ...ledger });
  await emitDomainEvents(tx, merchantId, [walletEvent(ledger)]);
  return w;
}

/**
 * A top-up (储值): `amount` fen of principal and the bonus of the rule in force. Replaying the same
 * top-up id changes nothing (its ledger source is unique); the same id for another member or
 * amount is a conflict.
 */
export async function topUpWallet(tx: Db, merchantId: string, memberId: string, input: { topUpId: string; amount: number }, rules: WalletRules, at: Date, date: string) {
  if (!rules.enabled) throw new AppError("validation_failed", "stored value is not enabled in this program", [{ path: "data.amount", message: "stored value is off (Settings → program)" }]);
  const [prior] = await tx.select().from(walletTopUps).where(and(eq(walletTopUps.merchantId, merchantId), eq(walletTopUps.topUpId, input.topUpId)));
  if (prior) {
    if (prior.memberId !== memberId || prior.principal !== input.amount) throw new AppError("conflict", `top-up ${input.topUpId} was already made with a different body`, [{ path: "data.topUpId", message: "already used" }]);
    return { principal: prior.principal, bonus: prior.bonus, duplicate: true };
  }
  const bonus = topUpBonus(rules.topUpBonuses, input.amount);
  await tx.insert(walletTopUps).values({ merchantId, topUpId: input.topUpId, memberId, principal: input.amount, bonus, principalLeft: input.amount, bonusLeft: bonus, toppedUpAt: at });
  await postWallet(tx, merchantId, memberId, { type: "top_up", source: `topup:${input.topUpId}`, principal: input.amount, bonus, at, date });
  return { principal: input.amount, bonus, duplicate: false };
}

/**
 * Refunds `amount` fen of a top-up's principal (at most what of it is unspent): the principal goes
 * back and the bonus with it pro rata to what is left of that top-up (rounded down, all of it when
 * the last principal goes). Stored value held by an open checkout cannot be refunded.
 */
export async function refundTopUp(tx: Db, merchantId: string, memberId: string, input: { topUpId: string; amount: number }, source: string, at: Date, date: string) {
  const [t] = await tx.select().from(walletTopUps).where(and(eq(walletTopUps.merchantId, merchantId), eq(walletTopUps.topUpId, input.topUpId)));
  if (!t || t.memberId !== memberId) throw new AppError("not_found", `top-up ${input.topUpId} not found for this member`, [{ path: "data.topUpId", message: "no such top-up of this member" }]);
  if (input.amount > t.principalLeft)
    throw new AppError("insufficient_balance", `${input.amount} fen asked back, ${t.principalLeft} of top-up ${input.topUpId} unspent`, [{ path: "data.amount", message: `at most ${t.principalLeft} fen` }]);
  const bonus = input.amount === t.principalLeft ? t.bonusLeft : Math.floor((input.amount * t.bonusLeft) / t.principalLeft);
  const [w] = await tx.select().from(wallets).where(and(eq(wallets.merchantId, merchantId), eq(wallets.memberId, memberId)));
  // Holds open at the refund's time or now (an event may be dated up to a day ahead): both count.
  const held = await heldTotals(tx, merchantId, memberId, new Date(Math.min(at.getTime(), Date.now())));
  const free = w.principal + w.bonus - held.wallet;
  if (input.amount + bonus > free)
    throw new AppError("insufficient_balance", `stored value held by an open checkout: ${free} fen free`, [{ path: "data.amount", message: `at most ${free} fen while a checkout holds stored value` }]);
  await tx
    .update(walletTopUps)
    .set({ principalLeft: t.principalLeft - input.amount, bonusLeft: t.bonusLeft - bonus })
    .where(and(eq(walletTopUps.merchantId, merchantId), eq(walletTopUps.topUpId, input.topUpId)));
  await postWallet(tx, merchantId, memberId, { type: "top_up_refund", source, principal: -input.amount, bonus: -bonus, at, date });
  return { principal: input.amount, bonus };
}

/**
 * A refund of an order paid (in part) with stored value: gives back, pro rata to the refunded share
 * of `paid` (cumulative: the refunds before gave back their share already), what the order's
 * confirmed holds took from each top-up, as principal and bonus as it was taken, into those
 * top-ups. One ledger row (type "refund"); nothing when there is nothing to give back. The caller
 * holds the member's lock.
 */
export async function returnHoldWallet(
  tx: Db,
  merchantId: string,
  memberId: string,
  input: { holdIds: string[]; refundedBefore: number; refundedAfter: number; paid: number },
  source: string,
  at: Date,
  date: string,
) {
  if (!input.holdIds.length) return { principal: 0, bonus: 0 };
  const taken = await tx
    .select()
    .from(holdTopUps)
    .where(and(eq(holdTopUps.merchantId, merchantId), inArray(holdTopUps.holdId, input.holdIds)))
    .orderBy(asc(holdTopUps.holdId), asc(holdTopUps.topUpId));
  const share = (x: number) => proRata(x, input.refundedAfter, input.paid) - proRata(x, input.refundedBefore, input.paid);
  let principal = 0;
  let bonus = 0;
  for (const t of taken) {
    const p = share(t.principal);
    const b = share(t.bonus);
    if (p === 0 && b === 0) continue;
    principal += p;
    bonus += b;
    await tx
      .update(holdTopUps)
      .set({ principalReturned: t.principalReturned + p, bonusReturned: t.bonusReturned + b })
      .where(and(eq(holdTopUps.merchantId, merchantId), eq(holdTopUps.holdId, t.holdId), eq(holdTopUps.topUpId, t.topUpId)));
    await tx
      .update(walletTopUps)
      .set({ principalLeft: sql`${walletTopUps.principalLeft} + ${p}`, bonusLeft: sql`${walletTopUps.bonusLeft} + ${b}` })
      .where(and(eq(walletTopUps.merchantId, merchantId), eq(walletTopUps.topUpId, t.topUpId)));
  }
  if (principal > 0 || bonus > 0) await postWallet(tx, merchantId, memberId, { type: "refund", source, principal, bonus, at, date });
  return { principal, bonus };
}

/** GET /api/v1/members/{memberId}/wallet-ledger: newest first; `cursor` is the id of the last entry of the previous page. */
export async function walletLedgerPage(db: Db, merchantId: string, memberId: string, cursor: number | null, limit = 50) {
  const rows = await db
    .select()
    .from(walletLedger)
    .where(and(eq(walletLedger.merchantId, merchantId), eq(walletLedger.memberId, memberId), cursor ? lt(walletLedger.id, cursor) : undefined))
    .orderBy(desc(walletLedger.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    entries: page.map((r) => ({ id: r.id, at: r.at.toISOString(), type: r.type, source: r.source, principal: r.principal, bonus: r.bonus, principalAfter: r.principalAfter, bonusAfter: r.bonusAfter })),
    nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
  };
}
