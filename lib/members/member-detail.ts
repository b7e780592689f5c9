import { and, desc, eq, gt, gte, sql } from "drizzle-orm";
import { lastValidDay } from "@/lib/program/expiry-rule";
import { langOf, reasonView, sourceText } from "@/lib/reasons";
import type { Db } from "@/db/client";
import { auditLog, automationFirings, growthLedger, orders, pointsLedger, pointsLots, refunds, rightInstances, tierHistory } from "@/db/schema";
import { currentProgram } from "@/lib/program/store";
import { addDays, businessDate, startOfBusinessDate } from "@/lib/util/dates";
import { getMemberRowOrThrow } from "./read-member";
import { maskPhone } from "./mask";
import { openHoldsOf, walletView } from "@/lib/checkout/holds";
import { walletLedgerPage } from "@/lib/checkout/wallet";

const LIMIT = 50;

/** How far the member is from the next tier, threshold by threshold (amounts in the threshold's unit). */
async function nextTierProgress(db: Db, merchantId: string, m: Awaited<ReturnType<typeof getMemberRowOrThrow>>, program: Awaited<ReturnType<typeof currentProgram>>, now: Date) {
  const rank = program.tiers.findIndex((t) => t.code === m.tierCode);
  const next = program.tiers[rank + 1];
  if (!next) return null;
  const today = businessDate(now, program.timeZone);
  const since = (w: string) => (w === "rolling12m" ? addDays(today, -364) : `${today.slice(0, 4)}-01-01`);
  const thresholds = await Promise.all(
    next.thresholds.map(async (th) => {
      let current: number;
      if (th.window === "lifetime") current = th.measure === "growth" ? m.growth : th.measure === "spend" ? m.lifetimeSpend : m.orderCount;
      else {
        const from = startOfBusinessDate(since(th.window), program.timeZone);
        const [row] =
          th.measure === "growth"
            ? await db.select({ n: sql<number>`coalesce(sum(${growthLedger.delta}), 0)`.mapWith(Number) }).from(growthLedger).where(and(eq(growthLedger.merchantId, merchantId), eq(growthLedger.memberId, m.memberId), gte(growthLedger.occurredAt, from)))
            : await db
                .select({ n: (th.measure === "spend" ? sql<number>`coalesce(sum(${orders.amount} - ${orders.refundedAmount}), 0)` : sql<number>`count(*) filter (where ${orders.refundedAmount} < ${orders.amount})`).mapWith(Number) })
                .from(orders)
                .where(and(eq(orders.merchantId, merchantId), eq(orders.memberId, m.memberId), gte(orders.paidAt, from)));
        current = row.n;
      }
      return { measure: th.measure, window: th.window, value: th.value, current, remaining: Math.max(0, th.value - current) };
    }),
  );
  return { tier: { code: next.code, name: next.name }, mode: next.thresholdMode, thresholds };
}

/** Everything the member page shows, each list newest first and capped at 50 rows. */
export async function memberDetail(db: Db, merchantId: string, memberId: string, opts: { fullPhone: boolean; now?: Date; locale?: string }) {
  const locale = opts.locale ?? "zh-CN";
  const now = opts.now ?? new Date();
  const m = await getMemberRowOrThrow(db, merchantId, memberId);
  const program = await currentProgram(db, merchantId);
  type Owned = { merchantId: Parameters<typeof eq>[0]; memberId: Parameters<typeof eq>[0] };
  const mine = (t: Owned) => and(eq(t.merchantId, merchantId), eq(t.memberId, memberId));
  const [history, lots, points, growth, rights, orderRows, refundRows, firings, audit, progress] = await Promise.all([
    db.select().from(tierHistory).where(mine(tierHistory)).orderBy(desc(tierHistory.changedAt), desc(tierHistory.id)).limit(LIMIT),
    db.select().from(pointsLots).where(and(mine(pointsLots), gt(pointsLots.remaining, 0))).orderBy(pointsLots.expiresAt).limit(LIMIT),
    db.select().from(pointsLedger).where(mine(pointsLedger)).orderBy(desc(pointsLedger.id)).limit(LIMIT),
    db.select().from(growthLedger).where(mine(growthLedger)).orderBy(desc(growthLedger.id)).limit(LIMIT),
    db.select().from(rightInstances).where(mine(rightInstances)).orderBy(desc(rightInstances.issuedAt)).limit(200),
    db.select().from(orders).where(mine(orders)).orderBy(desc(orders.paidAt)).limit(LIMIT),
    db.select().from(refunds).where(mine(refunds)).orderBy(desc(refunds.refundedAt)).limit(LIMIT),
    db.select().from(automationFirings).where(mine(automationFirings)).orderBy(desc(automationFirings.firedAt)).limit(LIMIT),
    db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.merchantId, merchantId), eq(auditLog.entity, "member"), eq(auditLog.entityId, memberId)))
      .orderBy(desc(auditLog.at))
      .limit(20),
    nextTierProgress(db, merchantId, m, program, now),
  ]);
  const [openHolds, wallet, walletEntries] = await Promise.all([openHoldsOf(db, merchantId, memberId, now), walletView(db, merchantId, memberId, now), walletLedgerPage(db, merchantId, memberId, null, 20)]);
  const heldGrants = new Map(openHolds.flatMap((h) => h.grants.map((g) => [g.grantId, h.id] as const)));
  const rightState = (r: (typeof rights)[number]): "held" | "used" | "expired" | "void" =>
    r.redeemedAt ? "used" : r.voidedAt ? "void" : r.expiresAt && r.expiresAt <= now ? "expired" : "held";
  const tierName = (code: string | null) => (code ? (program.tiers.find((t) => t.code === code)?.name ?? { zh: code, en: code }) : null);
  const rightName = (code: string) => program.rights.find((r) => r.code === code)?.name ?? { zh: code, en: code };
  return {
    member: {
      memberId: m.memberId,
      name: m.name,
      phone: opts.fullPhone ? m.phone : maskPhone(m.phone),
      birthday: m.birthday,
      referrerId: m.referrerId,
      registeredAt: m.registeredAt.toISOString(),
      tier: { code: m.tierCode, name: tierName(m.tierCode)!, color: program.tiers.find((t) => t.code === m.tierCode)?.color ?? "#6b7280" },
      tierSince: m.tierSince.toISOString(),
      manualTier: m.manualTierCode,
      trialUntil: m.trialUntil?.toISOString() ?? null,
      growth: m.growth,
      pointsBalance: m.pointsBalance,
      pointsDebt: m.pointsDebt,
      lifetimeSpend: m.lifetimeSpend,
      orderCount: m.orderCount,
      lastOrderAt: m.lastOrderAt?.toISOString() ?? null,
      lifecycle: m.lifecycle,
      rfm: { r: m.rfmR, f: m.rfmF, m: m.rfmM },
    },
    progress,
    tierHistory: history.map((h) => ({ id: h.id, from: tierName(h.fromTier), to: tierName(h.toTier)!, direction: h.direction, ...reasonView({ ...h, rule: h.direction === "manual" ? "manual" : null }, locale), changedAt: h.changedAt.toISOString() })),
    lots: lots.map((l) => ({ id: l.id, source: l.source, earnedAt: l.earnedAt.toISOString(), expiresAt: l.expiresAt.toISOString(), validThrough: lastValidDay(l.expiresAt, program.timeZone), amount: l.amount, remaining: l.remaining })),
    points: points.map((p) => ({ id: p.id, delta: p.delta, debtDelta: p.debtDelta, kind: p.kind, source: p.source, sourceText: sourceText(p.source, langOf(locale)), rule: p.rule, ...reasonView(p, locale), occurredAt: p.occurredAt.toISOString() })),
    growth: growth.map((g) => ({ id: g.id, delta: g.delta, kind: g.kind, source: g.source, rule: g.rule, ...reasonView(g, locale), occurredAt: g.occurredAt.toISOString() })),
    rights: rights.map((r) => ({
      grantId: r.grantId,
      code: r.rightCode,
      redemptionCode: r.code,
      name: rightName(r.rightCode),
      value: r.value,
      // What it takes off at checkout; a fixed amount of null is the instance's own face value.
      coupon: ((c) => (c?.type === "amount" ? { ...c, amount: c.amount ?? r.unitCost } : c))(program.rights.find((x) => x.code === r.rightCode)?.coupon ?? null),
      heldBy: heldGrants.get(r.grantId) ?? null,
      source: r.source,
      issuedAt: r.issuedAt.toISOString(),
      expiresAt: r.expiresAt?.toISOString() ?? null,
      redeemedAt: r.redeemedAt?.toISOString() ?? null,
      state: rightState(r),
    })),
    rightCounts: { held: rights.filter((r) => rightState(r) === "held").length, used: rights.filter((r) => rightState(r) === "used").length, expired: rights.filter((r) => rightState(r) === "expired").length },
    orders: orderRows.map((o) => ({ orderId: o.orderId, paidAt: o.paidAt.toISOString(), amount: o.amount, refundedAmount: o.refundedAmount, pointsEarned: o.pointsEarned, growthEarned: o.growthEarned, tierAtOrder: o.tierAtOrder })),
    refunds: refundRows.map((r) => ({ eventId: r.eventId, orderId: r.orderId, refundedAt: r.refundedAt.toISOString(), amount: r.amount })),
    firings: firings.map((f) => ({ code: f.automationCode, name: program.automations.find((a) => a.code === f.automationCode)?.name ?? { zh: f.automationCode, en: f.automationCode }, occasion: f.occasion, firedAt: f.firedAt.toISOString() })),
    audit: audit.map((a) => ({ id: a.id, action: a.action, actor: a.actorLabel, at: a.at.toISOString(), after: a.after })),
    checkout: { heldPoints: wallet.heldPoints, availablePoints: m.pointsBalance - wallet.heldPoints, holds: openHolds },
    wallet: { balance: wallet.balance, principal: wallet.principal, bonus: wallet.bonus, held: wallet.held, available: wallet.available, entries: walletEntries.entries },
    options: { tiers: program.tiers.map((t) => ({ code: t.code, name: t.name })), rights: program.rights.map((r) => ({ code: r.code, name: r.name })) },
  };
}
export type MemberDetail = Awaited<ReturnType<typeof memberDetail>>;
