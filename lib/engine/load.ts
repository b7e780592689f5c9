import { and, eq, gt, gte, sql } from "drizzle-orm";
import { inList } from "./sql-json";
import type { Db } from "@/db/client";
import { members, orders, pointsLots, rightInstances, pointsLedger, growthLedger } from "@/db/schema";
import type { Batch } from "./batch";

/** Batches with more keys than this are "big": at most MAX_BIG_IN_FLIGHT of them hold key locks at once per process. */
export const BIG_BATCH_KEYS = 256;
/** Above this many keys a batch locks its whole merchant instead (one lock, not thousands). */
const MERCHANT_WIDE_OVER = 2_100;
const MAX_BIG_IN_FLIGHT = 2;

/**
 * Serialises batches that touch the same members or orders. Every holder of key locks first holds
 * its merchant's lock in shared mode; a batch with more than MERCHANT_WIDE_OVER keys (a big import,
 * a period-job day) takes the merchant's lock exclusively instead. Keys are taken in sorted order,
 * the merchant's first, so two batches never deadlock. PostgreSQL's lock table holds about
 * 64 × max_connections locks: a 1,000-event batch takes up to ~2,000, so `withBigBatchSlot` lets
 * only MAX_BIG_IN_FLIGHT such batches of this process hold theirs at once (eight at once answered
 * "out of shared memory"), while two overlapping still apply ~1.7× faster than one merchant lock.
 */
export async function lockKeys(tx: Db, merchantId: string, keys: string[]) {
  if (keys.length === 0) return;
  const unique = [...new Set(keys.map((k) => `${merchantId}:${k}`))].sort();
  if (unique.length > MERCHANT_WIDE_OVER) return lockMerchant(tx, merchantId);
  await tx.execute(
    sql`select count(case when s.i = 1 then pg_advisory_xact_lock_shared(hashtextextended(s.k, 0)) else pg_advisory_xact_lock(hashtextextended(s.k, 0)) end)
        from (select k, i from jsonb_array_elements_text(${JSON.stringify([merchantLockKey(merchantId), ...unique])}::jsonb) with ordinality as t(k, i) order by i) s`,
  );
}

let bigInFlight = 0;
const bigWaiting: (() => void)[] = [];

/** Runs a transaction that will lock `keys` keys, waiting for a slot first when that is a big per-key batch (see lockKeys). */
export async function withBigBatchSlot<T>(keys: number, f: () => Promise<T>): Promise<T> {
  if (keys <= BIG_BATCH_KEYS || keys > MERCHANT_WIDE_OVER) return f();
  while (bigInFlight >= MAX_BIG_IN_FLIGHT) await new Promise<void>((resolve) => bigWaiting.push(resolve));
  bigInFlight++;
  try {
    return await f();
  } finally {
    bigInFlight--;
    bigWaiting.shift()?.();
  }
}

const merchantLockKey = (merchantId: string) => `${merchantId}:*`;

/** Holds every member and order of the merchant until the transaction ends (see lockKeys). */
export async function lockMerchant(tx: Db, merchantId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${merchantLockKey(merchantId)}, 0))`);
}

const chunk = <T>(xs: T[], n = 5000): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

export async function loadMembers(tx: Db, b: Batch, ids: string[]) {
  for (const part of chunk([...new Set(ids)])) {
    if (!part.length) continue;
    const rows = await tx.select().from(members).where(and(eq(members.merchantId, b.merchantId), inList(members.memberId, part)));
    for (const r of rows) {
      b.members.set(r.memberId, {
        memberId: r.memberId,
        name: r.name,
        phone: r.phone,
        birthday: r.birthday,
        referrerId: r.referrerId,
        registeredAt: r.registeredAt,
        tierCode: r.tierCode,
        tierSince: r.tierSince,
        manualTierCode: r.manualTierCode,
        trialUntil: r.trialUntil,
        growth: r.growth,
        pointsBalance: r.pointsBalance,
        pointsDebt: r.pointsDebt,
        lifetimeSpend: r.lifetimeSpend,
        orderCount: r.orderCount,
        lastOrderAt: r.lastOrderAt,
        lastCheckinDate: r.lastCheckinDate,
        checkinStreak: r.checkinStreak,
        lifecycle: r.lifecycle,
        rfmR: r.rfmR,
        rfmF: r.rfmF,
        rfmM: r.rfmM,
        isNew: false,
        dirty: false,
      });
    }
  }
}

export async function loadOrders(tx: Db, b: Batch, ids: string[]) {
  for (const part of chunk([...new Set(ids)])) {
    if (!part.length) continue;
    const rows = await tx.select().from(orders).where(and(eq(orders.merchantId, b.merchantId), inList(orders.orderId, part)));
    for (const r of rows) b.orders.set(r.orderId, { ...r, isNew: false, dirty: false });
  }
}

export async function loadLots(tx: Db, b: Batch, memberIds: string[]) {
  for (const part of chunk([...new Set(memberIds)])) {
    if (!part.length) continue;
    const rows = await tx
      .select()
      .from(pointsLots)
      .where(and(eq(pointsLots.merchantId, b.merchantId), inList(pointsLots.memberId, part), gt(pointsLots.remaining, 0)));
    for (const r of rows) b.lotsOf(r.memberId).push({ id: r.id, key: String(r.id), source: r.source, memberId: r.memberId, earnedAt: r.earnedAt, expiresAt: r.expiresAt, amount: r.amount, remaining: r.remaining, dirty: false });
  }
}

export async function loadRights(tx: Db, b: Batch, grantIds: string[]) {
  for (const part of chunk([...new Set(grantIds)])) {
    if (!part.length) continue;
    const rows = await tx.select().from(rightInstances).where(and(eq(rightInstances.merchantId, b.merchantId), inList(rightInstances.grantId, part)));
    for (const r of rows) b.rights.set(r.grantId, { ...r, isNew: false, dirty: false });
  }
}

/** Which of these once-only sources are already stored (in the points ledger or as right instances or firings). */
export async function loadSources(tx: Db, b: Batch, sources: string[]) {
  for (const part of chunk([...new Set(sources)])) {
    if (!part.length) continue;
    const [a, r] = await Promise.all([
      tx.select({ s: pointsLedger.source }).from(pointsLedger).where(and(eq(pointsLedger.merchantId, b.merchantId), inList(pointsLedger.source, part))),
      tx.select({ s: rightInstances.source }).from(rightInstances).where(and(eq(rightInstances.merchantId, b.merchantId), inList(rightInstances.source, part))),
    ]);
    for (const x of [...a, ...r]) b.existingSources.add(x.s);
  }
}

/** Rewarded shares and capped points already earned per member and business day. */
export async function loadDailyCounts(tx: Db, b: Batch, memberIds: string[], dates: string[]) {
  if (!memberIds.length) return;
  const rows = await tx
    .select({
      memberId: pointsLedger.memberId,
      date: pointsLedger.businessDate,
      shares: sql<number>`count(*) filter (where ${pointsLedger.rule} = 'share' and ${pointsLedger.delta} - ${pointsLedger.debtDelta} > 0)`.mapWith(Number),
      earned: sql<number>`coalesce(sum(${pointsLedger.delta} - ${pointsLedger.debtDelta}) filter (where ${pointsLedger.rule} in ('checkin','review','share','profile','referral')), 0)`.mapWith(Number),
    })
    .from(pointsLedger)
    .where(and(eq(pointsLedger.merchantId, b.merchantId), inList(pointsLedger.memberId, [...new Set(memberIds)]), inList(pointsLedger.businessDate, [...new Set(dates)], "date")))
    .groupBy(pointsLedger.memberId, pointsLedger.businessDate);
  for (const r of rows) {
    b.shareCounts.set(`${r.memberId}:${r.date}`, r.shares);
    b.dailyEarned.set(`${r.memberId}:${r.date}`, r.earned);
  }
}

/** Per-day spend, orders and growth since `since`, for tier thresholds over rolling or calendar windows. */
export async function loadWindowed(tx: Db, b: Batch, memberIds: string[], since: string) {
  b.windowed = new Map(memberIds.map((id) => [id, []]));
  if (!memberIds.length) return;
  const ids = [...new Set(memberIds)];
  const [os, gs] = await Promise.all([
    tx
      .select({ memberId: orders.memberId, date: orders.businessDate, spend: sql<number>`sum(${orders.amount} - ${orders.refundedAmount})`.mapWith(Number), n: sql<number>`count(*)`.mapWith(Number) })
      .from(orders)
      .where(and(eq(orders.merchantId, b.merchantId), inList(orders.memberId, ids), gte(orders.businessDate, since)))
      .groupBy(orders.memberId, orders.businessDate),
    tx
      .select({ memberId: growthLedger.memberId, date: growthLedger.businessDate, g: sql<number>`sum(${growthLedger.delta})`.mapWith(Number) })
      .from(growthLedger)
      .where(and(eq(growthLedger.merchantId, b.merchantId), inList(growthLedger.memberId, ids), gte(growthLedger.businessDate, since)))
      .groupBy(growthLedger.memberId, growthLedger.businessDate),
  ]);
  for (const o of os) if (o.memberId) b.windowed.get(o.memberId)?.push({ date: o.date, spend: o.spend, growth: 0, orders: o.n });
  for (const g of gs) b.windowed.get(g.memberId)?.push({ date: g.date, spend: 0, growth: g.g, orders: 0 });
}
