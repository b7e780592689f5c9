import { and, asc, eq, gt, sql, type SQL } from "drizzle-orm";
import { pipelinedTransaction, preparedText, runStmt, type Db, type Stmt } from "@/db/client";
import { holdGrants, holdLots, holds, pointsLots, wallets } from "@/db/schema";
import { coded, codeColumns } from "@/lib/reasons/row";
import { AppError, type Issue } from "@/lib/errors";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { lockKeys } from "@/lib/engine/load";
import { combineWrites, insertSql } from "@/lib/engine/sql-json";
import { openDayLogSql } from "@/lib/metrics/rollup";
import { cachedProgramVersion, loadProgramVersion, type LoadedProgram } from "@/lib/program/store";
import type { CheckoutAnswer, HoldAnswer, holdInput } from "@/lib/schemas/checkout";
import { businessDate } from "@/lib/util/dates";
import { canonicalJson, sha256 } from "@/lib/util/ids";
import { maxUsablePoints, pointsValueFen, splitWalletSpend, couponDiscount, type CouponQuote } from "./math";
import {
  closeConfirmedStmt,
  confirmReadStmt,
  holdLockStmt,
  holdReadStmt,
  instant,
  lowerBalanceStmt,
  quoteStmt,
  redeemGrantsStmt,
  setWalletStmt,
  spendLotsStmt,
  spendTopUpsStmt,
  type ConfirmReadRow,
  type HoldReadRow,
  type HoldRowJson,
  type QuoteRow,
} from "./hold-sql";
import type { z } from "zod";
import { domainEventsSql, pointsEvent, rightRedeemedEvent, walletEvent } from "@/lib/webhooks/domain-events";

type HoldRow = typeof holds.$inferSelect;

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

/** What a coupon instance takes off `amount`, or null when its right is not usable at checkout. */
function instanceDiscount(program: LoadedProgram, r: { rightCode: string; unitCost: number }, amount: number): CouponQuote | null {
  const effect = program.rights.find((x) => x.code === r.rightCode)?.coupon;
  if (!effect) return null;
  // A fixed amount of null is the instance's face value: its cost for its tier (a birthday coupon's ¥50/¥100/¥200).
  return couponDiscount(effect.type === "amount" ? { ...effect, amount: effect.amount ?? r.unitCost } : effect, amount);
}

const rightName = (program: LoadedProgram, code: string) => program.rights.find((r) => r.code === code)?.name.zh ?? code;

/** Coupons past their expiry stay in the quote this long, marked expired, so a cashier sees why one is missing. */
const EXPIRED_SHOWN_MS = 7 * 86_400_000;

/** GET /api/v1/members/{memberId}/checkout: what the member may use on an order of `amount` fen (one statement, one snapshot). */
export async function checkoutQuote(db: Db, merchantId: string, memberId: string, amount: number, now = new Date()): Promise<CheckoutAnswer> {
  const [{ r }] = await preparedText<{ r: QuoteRow }>(db, quoteStmt(merchantId, memberId, now, new Date(now.getTime() - EXPIRED_SHOWN_MS)));
  if (r.balance === null) throw new AppError("not_found", `member ${memberId} not found`);
  const program = await programOfVersion(db, merchantId, r.version);
  const available = r.balance - r.held.points;
  const rule = program.points.pointsAsCash;
  return {
    amount,
    points: { available, maxUsable: maxUsablePoints(rule, available, amount, program.points.pointValueCentiFen), pointValue: program.points.pointValueCentiFen / 100 },
    coupons: r.coupons.map((c) => {
      const base = { grantId: c.grantId, code: c.code, right: c.rightCode };
      if (c.expiresAt && instant(c.expiresAt) <= now) return { ...base, discount: 0, usable: false, reason: "expired" as const };
      if (c.held) return { ...base, discount: 0, usable: false, reason: "held" as const };
      const q = instanceDiscount(program, c, amount)!;
      return q.usable ? { ...base, discount: q.discount, usable: true } : { ...base, discount: 0, usable: false, reason: q.reason };
    }),
    wallet: { available: (r.wallet?.principal ?? 0) + (r.wallet?.bonus ?? 0) - r.held.wallet },
  };
}

/** The program version a checkout statement read (the newest), from the cache when loaded before. */
async function programOfVersion(db: Db | (() => Db), merchantId: string, version: number | null): Promise<LoadedProgram> {
  if (version === null) throw new AppError("not_found", "this merchant has no program yet");
  return cachedProgramVersion(merchantId, version) ?? loadProgramVersion(typeof db === "function" ? db() : db, merchantId, version);
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
function couponRefusal(program: LoadedProgram, r: HoldReadRow["rights"][number] | undefined, memberId: string, amount: number, now: Date): string | null {
  if (!r || r.memberId !== memberId) return "not a coupon of this member";
  if (r.voided) return "voided";
  if (r.redeemed) return "already used";
  if (r.expiresAt && instant(r.expiresAt) <= now) return "expired";
  if (r.held) return "held by another checkout";
  const q = instanceDiscount(program, r, amount);
  if (!q) return `${rightName(program, r.rightCode)} is not usable at checkout`;
  if (!q.usable) return `needs an order of at least ${q.minSpend} fen`;
  return null;
}

/**
 * POST /api/v1/members/{memberId}/holds: sets aside points (from lots, oldest-expiring first),
 * coupons and stored value for one order, in one transaction under the member's lock (the lock
 * every engine batch of this member takes too). `id` is the idempotency key: the same body again
 * answers the same hold; another body is a conflict. A refusal changes nothing. Two round trips on
 * PostgreSQL: BEGIN, the lock and one read statement together; then the writes with COMMIT.
 */
export async function createHold(db: Db, merchantId: string, memberId: string, input: z.output<typeof holdInput>, now = new Date()): Promise<{ hold: HoldAnswer; created: boolean }> {
  const hash = sha256(canonicalJson(input));
  return pipelinedTransaction<{ hold: HoldAnswer; created: boolean }>(db, async (p) => {
    const [, [{ r }]] = await Promise.all([lockKeys(p, merchantId, [`m:${memberId}`]), runStmt<{ r: HoldReadRow }>(p, holdReadStmt(merchantId, memberId, now, input.id, input.grantIds))]);
    const prior = r.prior;
    if (prior) {
      if (prior.bodyHash !== hash || prior.memberId !== memberId) throw new AppError("conflict", `hold ${input.id} was already made with a different body`, [{ path: "id", message: "already used for another hold" }]);
      return { result: { hold: answerOf(prior, now), created: false }, last: null };
    }
    if (r.balance === null) throw new AppError("not_found", `member ${memberId} not found`);
    const program = await programOfVersion(p.db, merchantId, r.version);
    const held = r.held;

    // Points, checked in the order api.md gives: more than available (409), then the program's limits (400).
    const rule = program.points.pointsAsCash;
    const available = r.balance - held.points;
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
      lotTakes = takeFromLots(r.lots, input.points);
    }
    const pointsValue = pointsValueFen(input.points, program.points.pointValueCentiFen);

    // Coupons.
    const grantIds = input.grantIds;
    const dupes = grantIds.map((g, i) => (grantIds.indexOf(g) !== i ? { path: `grantIds.${i}`, message: "listed twice" } : null)).filter((x): x is Issue => !!x);
    if (dupes.length) throw new AppError("validation_failed", "a coupon is listed twice", dupes);
    const byId = new Map(r.rights.map((x) => [x.grantId, x]));
    const refusals = grantIds
      .map((g, i) => ({ path: `grantIds.${i}`, message: couponRefusal(program, byId.get(g), memberId, input.amount, now) }))
      .filter((x): x is Issue => x.message !== null);
    if (refusals.length) throw new AppError("right_unavailable", refusals.map((i) => `${i.path}: ${i.message}`).join("; "), refusals);
    const discountOf = (g: string) => (instanceDiscount(program, byId.get(g)!, input.amount) as { discount: number }).discount;
    // In the order the hold's answer lists them (the database's order of grant ids).
    const grants = r.sorted.map((g) => ({ grantId: g, discount: discountOf(g) }));

    // Stored value.
    if (input.wallet > 0) {
      const w = (r.wallet?.principal ?? 0) + (r.wallet?.bonus ?? 0) - held.wallet;
      if (input.wallet > w)
        throw new AppError("insufficient_balance", `${input.wallet} fen of stored value asked, ${w} available`, [{ path: "wallet", message: `more than the ${w} fen available` }]);
    }

    const payable = input.amount - pointsValue - grants.reduce((s, g) => s + g.discount, 0) - input.wallet;
    if (payable < 0)
      throw new AppError("validation_failed", `points, coupons and stored value come to more than the order (payable ${payable})`, [
        { path: "payable", message: `would be ${payable} fen: use less points, coupons or stored value` },
      ]);

    const h: HoldRowJson = {
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
      expiresAt: new Date(now.getTime() + input.ttlSeconds * 1000).toISOString(),
      grants,
    };
    const last = combineWrites([
      insertSql("holds", merchantId, HOLD_COLUMNS, [{ ...h, createdAt: now }]),
      insertSql("hold_lots", merchantId, HOLD_LOT_COLUMNS, lotTakes.map((t) => ({ holdId: input.id, memberId, ...t }))),
      insertSql("hold_grants", merchantId, HOLD_GRANT_COLUMNS, grants.map((g) => ({ holdId: input.id, ...g }))),
    ]);
    return { result: { hold: answerOf(h, now), created: true }, last };
  });
}

const HOLD_COLUMNS = {
  holdId: "text",
  memberId: "text",
  orderId: "text",
  amount: "bigint",
  points: "bigint",
  pointsValue: "bigint",
  wallet: "bigint",
  payable: "bigint",
  status: "text",
  bodyHash: "text",
  createdAt: "timestamptz",
  expiresAt: "timestamptz",
};
const HOLD_LOT_COLUMNS = { holdId: "text", memberId: "text", lotId: "bigint", points: "bigint" };
const HOLD_GRANT_COLUMNS = { holdId: "text", grantId: "text", discount: "bigint" };

/** The answer of a hold read as JSON (or just made). */
function answerOf(h: HoldRowJson, now: Date): HoldAnswer {
  const expiresAt = instant(h.expiresAt);
  return {
    id: h.holdId,
    memberId: h.memberId,
    // An open hold past its expiry has released itself.
    status: h.status === "held" && !isOpen({ status: h.status, expiresAt }, now) ? "released" : h.status,
    orderId: h.orderId,
    amount: h.amount,
    points: h.points,
    pointsValue: h.pointsValue,
    grants: h.grants,
    wallet: h.wallet,
    payable: h.payable,
    expiresAt: expiresAt.toISOString(),
  };
}

/** `points` from lots (oldest-expiring first, each less what open holds set aside there). */
export function takeFromLots(lots: readonly { id: number; remaining: number; held: number }[], points: number) {
  const takes: { lotId: number; points: number }[] = [];
  let left = points;
  for (const lot of lots) {
    if (left === 0) break;
    const take = Math.min(lot.remaining - lot.held, left);
    if (take <= 0) continue;
    takes.push({ lotId: lot.id, points: take });
    left -= take;
  }
  // The balance is Σ lots remaining, so available points are always in some lot.
  if (left > 0) throw new AppError("insufficient_points", `${points} points asked, ${points - left} free in the member's lots`, [{ path: "points", message: "more than the available points" }]);
  return takes;
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
  return takeFromLots(
    lots.map((l) => ({ id: l.id, remaining: l.remaining, held: heldByLot.get(l.id) ?? 0 })),
    points,
  );
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
 * Idempotent; a released or expired hold → 409 hold_closed. Two round trips on PostgreSQL: BEGIN,
 * the member's lock (found from the hold) and one read statement together; then the writes with COMMIT.
 */
export async function confirmHold(db: Db, merchantId: string, holdId: string, now = new Date()): Promise<HoldAnswer> {
  return pipelinedTransaction(db, async (p) => {
    const [, [{ r }]] = await Promise.all([runStmt(p, holdLockStmt(merchantId, holdId)), runStmt<{ r: ConfirmReadRow }>(p, confirmReadStmt(merchantId, holdId, now))]);
    const h = r.hold;
    if (!h) throw new AppError("not_found", `hold ${holdId} not found`);
    if (h.status === "confirmed") return { result: answerOf(h, now), last: null };
    if (!isOpen({ status: h.status, expiresAt: instant(h.expiresAt) }, now)) throw new AppError("hold_closed", `hold ${holdId} was ${h.status === "released" ? "released" : "not confirmed before it expired"}`);
    const program = await programOfVersion(p.db, merchantId, r.version);
    const date = businessDate(now, program.timeZone);
    const source = `hold:${holdId}`;
    const grantIds = h.grants.map((g) => g.grantId);
    const taken = h.points > 0 ? r.taken : [];
    assertStillCoveredOrThrow(h, r, taken, grantIds);

    const parts: (Stmt | SQL | null)[] = [];
    if (h.points > 0) {
      parts.push(spendLotsStmt(merchantId, h.memberId, taken.map((t) => ({ lotId: t.lotId, points: t.points }))));
      const expired = taken.filter((t) => instant(t.expiresAt) <= now).reduce((s, t) => s + t.points, 0);
      const why = coded("checkout", { orderId: h.orderId, expiredHeld: expired });
      const reason = why.reason;
      parts.push(
        insertSql("points_ledger", merchantId, POINTS_LEDGER_COLUMNS, [
          { memberId: h.memberId, delta: -h.points, kind: "spend", source, rule: "checkout", reason, ...codeColumns(why), programVersion: program.version, occurredAt: now, businessDate: date },
        ]),
        lowerBalanceStmt(merchantId, h.memberId, h.points, now),
      );
      const spent = pointsEvent({ memberId: h.memberId, delta: -h.points, debtDelta: 0, kind: "spend", rule: "checkout", source, reason, occurredAt: now, businessDate: date })!;
      // The balance after this spend (the combined write's statements all see the snapshot before it).
      parts.push(domainEventsSql(merchantId, [{ ...spent, data: { ...spent.data, balance: (r.balance ?? 0) - h.points } }]));
    }
    parts.push(redeemGrantsStmt(merchantId, grantIds, now, date));
    parts.push(
      domainEventsSql(
        merchantId,
        r.rights.filter((g) => !g.redeemed).map((g) => rightRedeemedEvent({ grantId: g.grantId, memberId: h.memberId, rightCode: g.rightCode, code: g.code, redeemedAt: now, via: "checkout", holdId })),
      ),
    );
    if (h.wallet > 0) parts.push(...debitWallet(merchantId, h, r, now, date));
    parts.push(closeConfirmedStmt(merchantId, holdId, now), openDayLogSql(merchantId, [`m:${h.memberId}`]));
    return { result: answerOf({ ...h, status: "confirmed" }, now), last: combineWrites(parts) };
  });
}

export const POINTS_LEDGER_COLUMNS = {
  memberId: "text",
  delta: "bigint",
  kind: "text",
  source: "text",
  rule: "text",
  reason: "text",
  reasonCode: "text",
  reasonParams: "jsonb",
  programVersion: "integer",
  occurredAt: "timestamptz",
  businessDate: "date",
};

/**
 * A hold is confirmed against the clock its caller read before it waited for the member's lock; if
 * meanwhile it expired and something else took what it had set aside (a new hold, a redemption, a
 * clawback, a coupon used or voided), confirming it would spend that twice. Whatever the clocks
 * say, it confirms only while each of its lots still has its points beside what other open holds set
 * aside there, its stored value is still there beside theirs, and its coupons are unused, not void
 * and in no other open hold.
 */
function assertStillCoveredOrThrow(h: HoldRowJson, r: ConfirmReadRow, taken: ConfirmReadRow["taken"], grantIds: string[]) {
  const closed = () => new AppError("hold_closed", `hold ${h.holdId} expired and what it set aside has been used since`);
  for (const t of taken) if (t.remaining - (t.held - t.points) < t.points) throw closed();
  if (h.wallet > 0) {
    const balance = (r.wallet?.principal ?? 0) + (r.wallet?.bonus ?? 0);
    if (balance - (r.held.wallet - h.wallet) < h.wallet) throw closed();
  }
  if (grantIds.length) {
    if (r.rights.length !== grantIds.length || r.rights.some((x) => x.redeemed || x.voided)) throw closed();
    if (r.rights.some((x) => x.elsewhere)) throw closed();
  }
}

/** The writes of a confirmed hold's stored value: principal and bonus in proportion to the balances, each from the oldest top-ups first. */
function debitWallet(merchantId: string, h: HoldRowJson, r: ConfirmReadRow, now: Date, date: string): (Stmt | null)[] {
  const w = r.wallet!;
  const split = splitWalletSpend(h.wallet, w.principal, w.bonus);
  let p = split.principal;
  let b = split.bonus;
  const takes: { topUpId: string; principal: number; bonus: number }[] = [];
  for (const t of r.topUps) {
    const tp = Math.min(p, t.principalLeft);
    const tb = Math.min(b, t.bonusLeft);
    if (tp === 0 && tb === 0) continue;
    p -= tp;
    b -= tb;
    takes.push({ topUpId: t.topUpId, principal: tp, bonus: tb });
  }
  const principalAfter = w.principal - split.principal;
  const bonusAfter = w.bonus - split.bonus;
  const row = { memberId: h.memberId, type: "spend" as const, source: `hold:${h.holdId}`, principal: -split.principal, bonus: -split.bonus, principalAfter, bonusAfter, at: now, businessDate: date };
  return [
    spendTopUpsStmt(merchantId, takes),
    insertSql("hold_top_ups", merchantId, HOLD_TOP_UP_COLUMNS, takes.map((t) => ({ holdId: h.holdId, ...t }))),
    setWalletStmt(merchantId, h.memberId, principalAfter, bonusAfter),
    insertSql("wallet_ledger", merchantId, WALLET_LEDGER_COLUMNS, [row]),
    domainEventsSql(merchantId, [walletEvent(row)]),
  ];
}

const HOLD_TOP_UP_COLUMNS = { holdId: "text", topUpId: "text", principal: "bigint", bonus: "bigint" };
const WALLET_LEDGER_COLUMNS = {
  memberId: "text",
  type: "text",
  source: "text",
  principal: "bigint",
  bonus: "bigint",
  principalAfter: "bigint",
  bonusAfter: "bigint",
  at: "timestamptz",
  businessDate: "date",
};

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

