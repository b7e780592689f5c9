import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { members, orders, refunds, pointsLedger, pointsLots, growthLedger, tierHistory, rightInstances, automationFirings, outbox, events } from "@/db/schema";
import type { Batch } from "./batch";

type Insertable = Parameters<Db["insert"]>[0];

async function insertAll<T extends Record<string, unknown>>(tx: Db, table: Insertable, rows: T[], onConflictDoNothing = false) {
  // Under PostgreSQL's 65,535 parameters per statement for the widest table here.
  for (let i = 0; i < rows.length; i += 2000) {
    const q = tx.insert(table).values(rows.slice(i, i + 2000) as never);
    await (onConflictDoNothing ? q.onConflictDoNothing() : q);
  }
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Writes everything a batch changed: multi-row inserts and one set-based update per table. */
export async function writeBatch(tx: Db, b: Batch, eventRows: (typeof events.$inferInsert)[]) {
  const m = b.merchantId;
  await insertAll(tx, events, eventRows);
  const allMembers = [...b.members.values()];
  await insertAll(
    tx,
    members,
    allMembers.filter((x) => x.isNew).map(({ isNew: _n, dirty: _d, ...x }) => ({ ...x, merchantId: m })),
  );
  const changed = allMembers.filter((x) => !x.isNew && x.dirty);
  if (changed.length) {
    const rows = changed.map((x) => ({
      id: x.memberId,
      tier: x.tierCode,
      since: iso(x.tierSince),
      manual: x.manualTierCode,
      trial: iso(x.trialUntil),
      growth: x.growth,
      bal: x.pointsBalance,
      debt: x.pointsDebt,
      spend: x.lifetimeSpend,
      orders: x.orderCount,
      last: iso(x.lastOrderAt),
      ci: x.lastCheckinDate,
      streak: x.checkinStreak,
      life: x.lifecycle,
    }));
    await tx.execute(sql`
      update members m set tier_code = x.tier, tier_since = x.since, manual_tier_code = x.manual, trial_until = x.trial,
        growth = x.growth, points_balance = x.bal, points_debt = x.debt, lifetime_spend = x.spend, order_count = x.orders,
        last_order_at = x.last, last_checkin_date = x.ci, checkin_streak = x.streak, lifecycle = x.life, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id text, tier text, since timestamptz, manual text, trial timestamptz,
        growth bigint, bal bigint, debt bigint, spend bigint, orders int, last timestamptz, ci date, streak int, life text)
      where m.merchant_id = ${m} and m.member_id = x.id`);
  }
  const allOrders = [...b.orders.values()];
  await insertAll(tx, orders, allOrders.filter((o) => o.isNew).map(({ isNew: _n, dirty: _d, ...o }) => ({ ...o, merchantId: m })));
  const changedOrders = allOrders.filter((o) => !o.isNew && o.dirty).map((o) => ({ id: o.orderId, r: o.refundedAmount, p: o.pointsClawed, g: o.growthClawed }));
  if (changedOrders.length)
    await tx.execute(sql`
      update orders o set refunded_amount = x.r, points_clawed = x.p, growth_clawed = x.g
      from jsonb_to_recordset(${JSON.stringify(changedOrders)}::jsonb) as x(id text, r bigint, p bigint, g bigint)
      where o.merchant_id = ${m} and o.order_id = x.id`);
  await insertAll(tx, refunds, b.refunds.map((r) => ({ ...r, merchantId: m })));
  await insertAll(tx, pointsLedger, b.points.map((r) => ({ ...r, merchantId: m })));
  await insertAll(tx, growthLedger, b.growth.map((r) => ({ ...r, merchantId: m })));
  await insertAll(tx, tierHistory, b.tierRows.map((r) => ({ ...r, merchantId: m })));
  const lots = [...b.lots.values()].flat();
  await insertAll(
    tx,
    pointsLots,
    lots.filter((l) => l.id === null).map((l) => ({ merchantId: m, memberId: l.memberId, source: l.source, earnedAt: l.earnedAt, expiresAt: l.expiresAt, amount: l.amount, remaining: l.remaining })),
  );
  const changedLots = lots.filter((l) => l.id !== null && l.dirty).map((l) => ({ id: l.id, r: l.remaining }));
  if (changedLots.length)
    await tx.execute(sql`
      update points_lots l set remaining = x.r
      from jsonb_to_recordset(${JSON.stringify(changedLots)}::jsonb) as x(id bigint, r bigint)
      where l.merchant_id = ${m} and l.id = x.id`);
  const allRights = [...b.rights.values()];
  await insertAll(tx, rightInstances, allRights.filter((r) => r.isNew).map(({ isNew: _n, dirty: _d, ...r }) => ({ ...r, merchantId: m })));
  const redeemed = allRights.filter((r) => !r.isNew && r.dirty).map((r) => ({ id: r.grantId, at: iso(r.redeemedAt), d: r.redeemedDate }));
  if (redeemed.length)
    await tx.execute(sql`
      update right_instances r set redeemed_at = x.at, redeemed_date = x.d
      from jsonb_to_recordset(${JSON.stringify(redeemed)}::jsonb) as x(id text, at timestamptz, d date)
      where r.merchant_id = ${m} and r.grant_id = x.id`);
  await insertAll(tx, automationFirings, b.firings.map((f) => ({ ...f, merchantId: m })), true);
  await insertAll(tx, outbox, b.outbox.map((o) => ({ ...o, merchantId: m })));
}
