import { and, asc, desc, eq, gt, lt, lte, sql } from "drizzle-orm";
import { expiryRuleText, lastValidDay } from "@/lib/program/expiry-rule";
import { langOf, reasonView } from "@/lib/reasons";
import type { Db } from "@/db/client";
import { members, orders, pointsLedger, pointsLots, rightInstances } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { currentProgram } from "@/lib/program/store";
import { walletView } from "@/lib/checkout/holds";
import { cardsAnswer, memberCards } from "@/lib/membership/read";

export async function getMemberRowOrThrow(db: Db, merchantId: string, memberId: string) {
  const [m] = await db.select().from(members).where(and(eq(members.merchantId, merchantId), eq(members.memberId, memberId)));
  if (!m) throw new AppError("not_found", `member ${memberId} not found`);
  return m;
}

/** The member as GET /api/v1/members/{memberId} answers it. */
export async function memberView(db: Db, merchantId: string, memberId: string, now = new Date(), locale = "zh-CN") {
  const m = await getMemberRowOrThrow(db, merchantId, memberId);
  const program = await currentProgram(db, merchantId);
  const tier = program.tiers.find((t) => t.code === m.tierCode);
  const in30 = new Date(now.getTime() + 30 * 86_400_000);
  const yearAgo = new Date(now.getTime() - 365 * 86_400_000);
  const [[expiring], [spend12], wallet, [next], cards] = await Promise.all([
    db
      .select({ n: sql<number>`coalesce(sum(${pointsLots.remaining}), 0)`.mapWith(Number) })
      .from(pointsLots)
      .where(and(eq(pointsLots.merchantId, merchantId), eq(pointsLots.memberId, memberId), gt(pointsLots.remaining, 0), lte(pointsLots.expiresAt, in30))),
    db
      .select({ n: sql<number>`coalesce(sum(${orders.amount} - ${orders.refundedAmount}), 0)`.mapWith(Number) })
      .from(orders)
      .where(and(eq(orders.merchantId, merchantId), eq(orders.memberId, memberId), gt(orders.paidAt, yearAgo))),
    // Open checkout holds set aside points and stored value: `held`, and `available` without them.
    walletView(db, merchantId, memberId, now),
    // The lot that expires next: its last valid day, as the member page shows it (lib/program/expiry-rule.ts).
    db
      .select({ expiresAt: pointsLots.expiresAt, points: pointsLots.remaining })
      .from(pointsLots)
      .where(and(eq(pointsLots.merchantId, merchantId), eq(pointsLots.memberId, memberId), gt(pointsLots.remaining, 0), gt(pointsLots.expiresAt, now)))
      .orderBy(asc(pointsLots.expiresAt))
      .limit(1),
    memberCards(db, merchantId, memberId),
  ]);
  const nextValid = next ? lastValidDay(next.expiresAt, program.timeZone) : null;
  return {
    memberId: m.memberId,
    name: m.name,
    tier: { code: m.tierCode, name: tier?.name.zh ?? m.tierCode, nameEn: tier?.name.en ?? m.tierCode },
    growth: m.growth,
    points: { balance: m.pointsBalance, held: wallet.heldPoints, available: m.pointsBalance - wallet.heldPoints, expiringNext30Days: expiring.n, debt: m.pointsDebt,
      nextExpiry: nextValid ? { validThrough: nextValid, points: next.points } : null,
      expiryRule: expiryRuleText(program.points.expiry, langOf(locale)) },
    wallet: { balance: wallet.balance, principal: wallet.principal, bonus: wallet.bonus, held: wallet.held, available: wallet.available },
    spend: { lifetime: m.lifetimeSpend, last12Months: spend12.n },
    orders: m.orderCount,
    lifecycle: m.lifecycle,
    rfm: { r: m.rfmR, f: m.rfmF, m: m.rfmM },
    registeredAt: m.registeredAt.toISOString(),
    lastOrderAt: m.lastOrderAt?.toISOString() ?? null,
    /** Paid-membership cards (付费会员卡), oldest first; one per card, an extension moves its endsAt. */
    memberships: cardsAnswer(cards),
  };
}

/** A ledger row's reason as the API answers it: code, parameters and text in the caller's language . */
function ledgerReason(r: { reason: string; reasonCode: string | null; reasonParams: unknown; rule: string | null }, locale: string) {
  const v = reasonView(r, locale);
  return { reasonCode: v.reasonCode, reasonParams: v.reasonParams, reason: v.reason };
}

/** Points ledger, newest first; `cursor` is the id of the last entry of the previous page. */
export async function memberLedger(db: Db, merchantId: string, memberId: string, cursor: number | null, limit = 50, locale = "zh-CN") {
  await getMemberRowOrThrow(db, merchantId, memberId);
  const rows = await db
    .select()
    .from(pointsLedger)
    .where(and(eq(pointsLedger.merchantId, merchantId), eq(pointsLedger.memberId, memberId), cursor ? lt(pointsLedger.id, cursor) : undefined))
    .orderBy(desc(pointsLedger.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    entries: page.map((r) => ({
      id: r.id,
      delta: r.delta,
      debtDelta: r.debtDelta,
      kind: r.kind,
      source: r.source,
      rule: r.rule,
      ...ledgerReason(r, locale),
      programVersion: r.programVersion,
      occurredAt: r.occurredAt.toISOString(),
      businessDate: r.businessDate,
    })),
    nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
  };
}

export async function memberRights(db: Db, merchantId: string, memberId: string) {
  await getMemberRowOrThrow(db, merchantId, memberId);
  const rows = await db
    .select()
    .from(rightInstances)
    .where(and(eq(rightInstances.merchantId, merchantId), eq(rightInstances.memberId, memberId)))
    .orderBy(desc(rightInstances.issuedAt));
  return {
    rights: rows.map((r) => ({
      grantId: r.grantId,
      right: r.rightCode,
      value: r.value,
      unitCost: r.unitCost,
      issuedAt: r.issuedAt.toISOString(),
      expiresAt: r.expiresAt?.toISOString() ?? null,
      redeemedAt: r.redeemedAt?.toISOString() ?? null,
    })),
  };
}
