import { MAX_GROWTH_PER_EVENT, MAX_POINTS_PER_EVENT, type EventInput } from "@/lib/schemas/events";
import type { LoadedProgram } from "@/lib/program/store";
import { AppError } from "@/lib/errors";
import { addDays } from "@/lib/util/dates";
import type { Db } from "@/db/client";
import { pointsGiveBack } from "@/lib/checkout/math";
import { refundTopUp, returnHoldWallet, topUpWallet } from "@/lib/checkout/wallet";
import type { Batch, HoldState, MemberState, OrderState, WalletOp } from "./batch";
import { coded, codeColumns } from "@/lib/reasons/row";
import { firstOrderUpgrade } from "./first-order";
import { campaignsInForce, campaignMultiplierPct, orderGrowth, orderPoints, proRataClawback } from "./rules";
import { membershipPurchased, membershipRefunded, planMultiplierPctAt } from "./membership";

export interface EventContext {
  event: EventInput;
  program: LoadedProgram;
  at: Date;
  date: string;
}

const reject = (message: string, path: string, code: "validation_failed" | "conflict" | "not_found" = "validation_failed") =>
  new AppError(code, message, [{ path, message }]);

/**
 * Applies one event to the batch's in-memory state. Every rejection is decided before the first
 * change, so a rejected event leaves nothing behind.
 */
export function applyEvent(b: Batch, ctx: EventContext) {
  const { event: e } = ctx;
  switch (e.type) {
    case "member.registered":
      return register(b, ctx, e);
    case "order.paid":
      return orderPaid(b, ctx, e);
    case "order.refunded":
      return orderRefunded(b, ctx, e);
    case "member.checked_in":
      return checkIn(b, ctx, b.memberOrThrow(e.memberId));
    case "review.posted":
      return simpleReward(b, ctx, b.memberOrThrow(e.memberId), "review");
    case "content.shared":
      return simpleReward(b, ctx, b.memberOrThrow(e.memberId), "share");
    case "profile.completed":
      return simpleReward(b, ctx, b.memberOrThrow(e.memberId), "profileCompleted");
    case "referral.completed":
      return referral(b, ctx, e);
    case "right.redeemed":
      return rightRedeemed(b, ctx, e);
    case "wallet.topped_up":
      b.memberOrThrow(e.memberId);
      b.walletOps.push({ kind: "topUp", memberId: e.memberId, topUpId: e.data.topUpId, amount: e.data.amount });
      return;
    case "wallet.top_up_refunded":
      b.memberOrThrow(e.memberId);
      b.walletOps.push({ kind: "refundTopUp", memberId: e.memberId, topUpId: e.data.topUpId, amount: e.data.amount, source: `ev:${e.id}:top-up-refund` });
      return;
    case "membership.purchased":
      return membershipPurchased(b, ctx, e);
    case "membership.refunded":
      return membershipRefunded(b, ctx, e);
  }
}

/**
 * Runs wallet work an event queued (the wallet lives in its own tables, not in the batch), on the
 * engine's transaction under the member's lock, with the wallet rules of the program in force at the
 * event. A refusal (AppError) rejects the event before anything is written.
 */
export async function runWalletOp(db: Db, merchantId: string, op: WalletOp, program: LoadedProgram, at: Date, date: string) {
  if (op.kind === "topUp") {
    const r = await topUpWallet(db, merchantId, op.memberId, op, program.wallet, at, date);
    if (r.duplicate) throw reject(`top-up ${op.topUpId} is already recorded`, "data.topUpId", "conflict");
  } else if (op.kind === "refundTopUp") await refundTopUp(db, merchantId, op.memberId, op, op.source, at, date);
  else await returnHoldWallet(db, merchantId, op.memberId, op, op.source, at, date);
}

function register(b: Batch, ctx: EventContext, e: Extract<EventInput, { type: "member.registered" }>) {
  if (b.members.has(e.memberId)) throw reject(`member ${e.memberId} is already registered`, "memberId", "conflict");
  const p = ctx.program;
  const trialTier = p.trial ? p.tiers.find((t) => t.code === p.trial!.tierCode) : undefined;
  const firstOrder = p.trial?.kind === "firstOrderUpgrade" ? p.tiers.find((t) => t.code === p.trial!.upgradeTo) : undefined;
  const m: MemberState = {
    memberId: e.memberId,
    name: e.data.name ?? null,
    phone: e.data.phone ?? null,
    birthday: e.data.birthday ?? null,
    referrerId: e.data.referrerId ?? null,
    registeredAt: ctx.at,
    tierCode: trialTier?.code ?? p.tiers[0].code,
    tierSince: ctx.at,
    manualTierCode: null,
    trialUntil: trialTier && !firstOrder ? new Date(ctx.at.getTime() + p.trial!.days * 86_400_000) : null,
    growth: 0,
    pointsBalance: 0,
    pointsDebt: 0,
    lifetimeSpend: 0,
    orderCount: 0,
    lastOrderAt: null,
    lastCheckinDate: null,
    checkinStreak: 0,
    lifecycle: "new",
    rfmR: 1,
    rfmF: 1,
    rfmM: 1,
    isNew: true,
    dirty: true,
  };
  b.members.set(m.memberId, m);
  b.windowed?.set(m.memberId, []);
  const why = firstOrder && trialTier
    ? coded("registered_first_order", { tier: trialTier.name, upgradeTo: firstOrder.name, days: p.trial!.days })
    : trialTier ? coded("registered_trial", { tier: trialTier.name, days: p.trial!.days }) : coded("registered");
  b.tierRows.push({
    memberId: m.memberId,
    fromTier: null,
    toTier: m.tierCode,
    direction: "initial",
    reason: why.reason,
    ...codeColumns(why),
    source: `ev:${e.id}:tier`,
    changedAt: ctx.at,
    businessDate: ctx.date,
  });
  b.fireAutomations(m, p, "registered", "registered", ctx.at, ctx.date, {});
}

function orderPaid(b: Batch, ctx: EventContext, e: Extract<EventInput, { type: "order.paid" }>) {
  const { program: p, at, date } = ctx;
  if (b.orders.has(e.data.orderId)) throw reject(`order ${e.data.orderId} is already recorded`, "data.orderId", "conflict");
  const m = e.memberId === null ? null : b.memberOrThrow(e.memberId);
  const tierBefore = m?.tierCode ?? null;
  let points = 0;
  let growth = 0;
  if (m) {
    const tier = p.tiers.find((t) => t.code === m.tierCode) ?? p.tiers[0];
    const campaigns = campaignsInForce(p, date, tier.code, m.birthday);
    const campaignPct = campaignMultiplierPct(campaigns);
    // A running paid-membership card's multiplier competes with the campaigns' (the largest applies).
    const planPct = planMultiplierPctAt(b, p, m.memberId, at);
    points = orderPoints(e.data.amount, p.points.perYuan, tier.pointsMultiplierPct, Math.max(campaignPct, planPct));
    growth = orderGrowth(e.data.amount, p.growth.perYuan);
    const bonus = campaigns.reduce((sum, c) => sum + (c.effect.kind === "bonusPoints" ? c.effect.points : 0), 0);
    if (points + bonus > MAX_POINTS_PER_EVENT)
      throw reject(`this order would earn ${points + bonus} points; one event may earn at most ${MAX_POINTS_PER_EVENT}`, "data.amount");
    if (growth > MAX_GROWTH_PER_EVENT) throw reject(`this order would earn ${growth} growth; one event may earn at most ${MAX_GROWTH_PER_EVENT}`, "data.amount");
    b.earnPoints(m, p, points, {
      kind: "earn",
      source: `ev:${e.id}:order`,
      rule: "order",
      ...coded("order", { orderId: e.data.orderId, amount: e.data.amount, perYuan: p.points.perYuan, tierPct: tier.pointsMultiplierPct, campaignPct, ...(planPct > 100 ? { planPct } : {}) }),
      at,
      date,
    });
    for (const c of campaigns) {
      if (c.effect.kind === "bonusPoints")
        b.earnPoints(m, p, c.effect.points, { kind: "bonus", source: `ev:${e.id}:campaign:${c.code}`, rule: `campaign:${c.code}`, ...coded("campaign_bonus", { campaign: c.code, name: c.name }), at, date });
      if (c.effect.kind === "grantRight") b.issueRight(m, p, c.effect.rightCode, `campaign:${c.code}:${m.memberId}:${date}`, at, m.tierCode);
    }
    b.addGrowth(m, p, growth, { kind: "earn", source: `ev:${e.id}:order`, rule: "order", ...coded("order_growth", { orderId: e.data.orderId, amount: e.data.amount, perYuan: p.growth.perYuan }), at, date });
    m.lifetimeSpend += e.data.amount;
    m.orderCount += 1;
    if (!m.lastOrderAt || m.lastOrderAt < at) m.lastOrderAt = at;
    // Trial tier ("0元升级"): a first order during the trial keeps the tier.
    if (m.trialUntil && at <= m.trialUntil) m.trialUntil = null;
    if (m.lifecycle !== "new") m.lifecycle = "active";
    m.dirty = true;
    b.windowed?.get(m.memberId)?.push({ date, spend: e.data.amount, growth: 0, orders: 1 });
  }
  b.orders.set(e.data.orderId, {
    orderId: e.data.orderId,
    memberId: e.memberId,
    eventId: e.id,
    paidAt: at,
    businessDate: date,
    amount: e.data.amount,
    memberDiscount: e.data.memberDiscount ?? 0,
    refundedAmount: 0,
    pointsEarned: points,
    growthEarned: growth,
    pointsClawed: 0,
    growthClawed: 0,
    tierAtOrder: tierBefore,
    isNew: true,
    dirty: true,
  });
  if (m) firstOrderUpgrade(b, p, m, at, date, `ev:${e.id}`);
  if (m) b.evaluateUpgrade(m, p, at, date, `ev:${e.id}`);
}

function orderRefunded(b: Batch, ctx: EventContext, e: Extract<EventInput, { type: "order.refunded" }>) {
  const { program: p, at, date } = ctx;
  const o = b.orders.get(e.data.orderId);
  if (!o) throw reject(`order ${e.data.orderId} not found`, "data.orderId", "not_found");
  if ((o.memberId ?? null) !== (e.memberId ?? null)) throw reject(`order ${e.data.orderId} does not belong to member ${e.memberId}`, "memberId");
  const left = o.amount - o.refundedAmount;
  if (e.data.amount > left) throw reject(`refund ${e.data.amount} is more than the ${left} fen left unrefunded`, "data.amount");
  const m = o.memberId ? b.memberOrThrow(o.memberId) : null;
  const refundedBefore = o.refundedAmount;
  o.refundedAmount += e.data.amount;
  o.dirty = true;
  b.refunds.push({ eventId: e.id, orderId: o.orderId, memberId: o.memberId, refundedAt: at, businessDate: date, amount: e.data.amount });
  if (!m) return;
  const full = o.refundedAmount === o.amount;
  // What the order's confirmed checkout holds spent comes back first, so the clawback below finds it.
  const holds = (b.orderHolds.get(o.orderId) ?? []).filter((h) => h.memberId === m.memberId);
  if (holds.length) giveBack(b, ctx, e.id, m, o, holds, refundedBefore);
  const clawPoints = proRataClawback(o.pointsEarned, o.amount, o.refundedAmount, o.pointsClawed);
  const clawGrowth = proRataClawback(o.growthEarned, o.amount, o.refundedAmount, o.growthClawed);
  o.pointsClawed += clawPoints;
  o.growthClawed += clawGrowth;
  b.deductPoints(m, clawPoints, {
    kind: "clawback",
    source: `ev:${e.id}:refund`,
    rule: "refund",
    ...coded("refund", { orderId: o.orderId, amount: e.data.amount, orderAmount: o.amount }),
    at,
    date,
    version: p.version,
    preferredSource: `ev:${o.eventId}:order`,
    allowDebt: true,
  });
  b.addGrowth(m, p, -clawGrowth, { kind: "clawback", source: `ev:${e.id}:refund`, rule: "refund", ...coded("refund_growth", { orderId: o.orderId }), at, date });
  m.lifetimeSpend -= e.data.amount;
  // A full refund takes the order back out of the member's order count and the windowed order
  // measures (a partial one leaves it counted). The tier it may have bought is not taken back here:
  // upgrades happen at events, downgrades only in the period job, under the tier's retention rule.
  if (full) m.orderCount -= 1;
  m.dirty = true;
  b.windowed?.get(m.memberId)?.push({ date: o.businessDate, spend: -e.data.amount, growth: 0, orders: full ? -1 : 0 });
}

/**
 * A refund of an order paid at a checkout gives back, pro rata to the refunded share (cumulative),
 * the points spent into the lots they came from (a lot expired by now keeps nothing; the ledger row
 * says how many), the stored value as principal and bonus (queued wallet work), and on the full
 * refund the coupons still valid. The points given back are their own ledger row ("spend", positive),
 * apart from the clawback of the points the order earned.
 */
function giveBack(b: Batch, ctx: EventContext, eventId: string, m: MemberState, o: OrderState, holds: HoldState[], refundedBefore: number) {
  const { program: p, at, date } = ctx;
  const lots = new Map(b.lotsOf(m.memberId).map((l) => [l.id, l]));
  let given = 0;
  let forfeited = 0;
  for (const h of holds) {
    const held = h.lots.filter((hl) => lots.has(hl.lotId));
    const plan = pointsGiveBack(held.map((hl) => ({ lotId: hl.lotId, points: hl.points, expiresAt: lots.get(hl.lotId)!.expiresAt })), refundedBefore, o.refundedAmount, o.amount, at);
    plan.forEach((x, i) => {
      given += x.give;
      forfeited += x.forfeited;
      if (x.give === 0) return;
      const lot = lots.get(x.lotId)!;
      lot.remaining += x.give;
      lot.dirty = true;
      held[i].returned += x.give;
      held[i].dirty = true;
    });
  }
  if (given + forfeited > 0) {
    const source = `ev:${eventId}:return`;
    const why = coded("refund_return", { orderId: o.orderId, amount: o.refundedAmount - refundedBefore, orderAmount: o.amount, given, forfeited });
    b.points.push({ memberId: m.memberId, delta: given, debtDelta: 0, kind: "spend", source, rule: "refund", reason: why.reason, ...codeColumns(why), programVersion: p.version, occurredAt: at, businessDate: date });
    b.newSources.add(source);
    m.pointsBalance += given;
    m.dirty = true;
  }
  const walletHolds = holds.filter((h) => h.wallet > 0).map((h) => h.holdId);
  if (walletHolds.length)
    b.walletOps.push({ kind: "returnHolds", memberId: m.memberId, holdIds: walletHolds, refundedBefore, refundedAfter: o.refundedAmount, paid: o.amount, source: `ev:${eventId}:wallet-return` });
  if (o.refundedAmount === o.amount)
    for (const g of holds.flatMap((h) => h.grantIds)) {
      const r = b.rights.get(g);
      if (!r || !r.redeemedAt || r.voidedAt || (r.expiresAt && r.expiresAt <= at)) continue;
      r.redeemedAt = null;
      r.redeemedDate = null;
      r.dirty = true;
      // Rights-usage KPIs count it from its issue day: rebuild them from there.
      b.touchedDates.push(r.issuedDate);
    }
}

function checkIn(b: Batch, ctx: EventContext, m: MemberState) {
  const { program: p, at, date, event: e } = ctx;
  const source = `checkin:${m.memberId}:${date}`;
  if (b.hasSource(source)) throw reject(`member ${m.memberId} already checked in on ${date}`, "occurredAt", "conflict");
  if (!m.lastCheckinDate || date > m.lastCheckinDate) {
    m.checkinStreak = m.lastCheckinDate === addDays(date, -1) ? m.checkinStreak + 1 : 1;
    m.lastCheckinDate = date;
    m.dirty = true;
  }
  const points = capDaily(b, p, m, date, p.points.checkIn);
  if (points > 0) {
    b.earnPoints(m, p, points, { kind: "earn", source, rule: "checkin", ...coded("checkin", { streak: m.checkinStreak }), at, date });
  } else {
    // A check-in always posts a row, even of 0 points: its source is what keeps it once a day.
    b.points.push({ memberId: m.memberId, delta: 0, debtDelta: 0, kind: "earn", source, rule: "checkin", ...codeColumns(coded("checkin")), reason: "check-in", programVersion: p.version, occurredAt: at, businessDate: date });
    b.newSources.add(source);
  }
  b.addGrowth(m, p, p.growth.checkIn, { kind: "earn", source: `ev:${e.id}:checkin`, rule: "checkin", ...coded("checkin"), at, date });
  if (p.points.streakRightCode && m.lastCheckinDate === date && m.checkinStreak > 0 && m.checkinStreak % p.points.streakDays === 0)
    b.issueRight(m, p, p.points.streakRightCode, `streak:${m.memberId}:${date}`, at, null);
}

function capDaily(b: Batch, p: LoadedProgram, m: MemberState, date: string, points: number): number {
  const key = `${m.memberId}:${date}`;
  const so = b.dailyEarned.get(key) ?? 0;
  const allowed = p.points.dailyCap === null ? points : Math.max(0, Math.min(points, p.points.dailyCap - so));
  b.dailyEarned.set(key, so + allowed);
  return allowed;
}

function simpleReward(b: Batch, ctx: EventContext, m: MemberState, rule: "review" | "share" | "profileCompleted") {
  const { program: p, at, date, event: e } = ctx;
  let points = p.points[rule];
  let source = `ev:${e.id}:${rule}`;
  const reason = coded(rule === "profileCompleted" ? "profile_completed" : rule);
  if (rule === "share") {
    const key = `${m.memberId}:${date}`;
    const count = b.shareCounts.get(key) ?? 0;
    if (count >= p.points.shareDailyCap) points = 0;
    else b.shareCounts.set(key, count + 1);
  }
  if (rule === "profileCompleted") {
    source = `profile:${m.memberId}`;
    if (b.hasSource(source)) return; // rewarded once per member; a repeat is applied and earns nothing
  }
  points = capDaily(b, p, m, date, points);
  b.earnPoints(m, p, points, { kind: "earn", source, rule: rule === "profileCompleted" ? "profile" : rule, ...reason, at, date });
  const growth = p.growth[rule];
  b.addGrowth(m, p, growth, { kind: "earn", source: `ev:${e.id}:${rule}`, rule, ...reason, at, date });
}

function referral(b: Batch, ctx: EventContext, e: Extract<EventInput, { type: "referral.completed" }>) {
  const { program: p, at, date } = ctx;
  const referrer = b.memberOrThrow(e.memberId);
  const referee = b.members.get(e.data.refereeId);
  if (!referee) throw reject(`referee ${e.data.refereeId} not found`, "data.refereeId", "not_found");
  if (referee.memberId === referrer.memberId) throw reject("a member cannot refer themselves", "data.refereeId");
  const sides: [MemberState, string][] = [
    [referrer, `referral:${referee.memberId}:referrer`],
    [referee, `referral:${referee.memberId}:referee`],
  ];
  for (const [m, source] of sides) {
    if (b.hasSource(source)) continue; // each referee earns the reward once
    const points = capDaily(b, p, m, date, p.points.referral);
    b.earnPoints(m, p, points, { kind: "earn", source, rule: "referral", ...coded("referral", { referee: referee.memberId }), at, date });
    b.addGrowth(m, p, p.growth.referral, { kind: "earn", source, rule: "referral", ...coded("referral", { referee: referee.memberId }), at, date });
  }
}

function rightRedeemed(b: Batch, ctx: EventContext, e: Extract<EventInput, { type: "right.redeemed" }>) {
  b.memberOrThrow(e.memberId);
  const byCode = e.data.grantId === undefined;
  const path = byCode ? "data.code" : "data.grantId";
  const name = byCode ? `code ${e.data.code}` : `right ${e.data.grantId}`;
  const r = byCode ? [...b.rights.values()].find((x) => x.code === e.data.code) : b.rights.get(e.data.grantId!);
  if (!r || r.memberId !== e.memberId) throw reject(`${name} not found for member ${e.memberId}`, path, "not_found");
  if (r.voidedAt) throw reject(`${name} was voided on ${r.voidedAt.toISOString()}`, path, "conflict");
  if (r.redeemedAt) throw reject(`${name} was already redeemed`, path, "conflict");
  if (r.held) throw reject(`${name} is held by an open checkout: confirm or release that hold`, path, "conflict");
  if (r.expiresAt && r.expiresAt < ctx.at) throw reject(`${name} expired on ${r.expiresAt.toISOString()}`, path, "conflict");
  r.redeemedAt = ctx.at;
  r.redeemedDate = ctx.date;
  r.dirty = true;
}
