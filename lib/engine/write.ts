import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { events } from "@/db/schema";
import type { Batch } from "./batch";
import { inList, insertSql, writeAll } from "./sql-json";
import type { SQL } from "drizzle-orm";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const ledgerColumns = { memberId: "text", delta: "bigint", kind: "text", source: "text", rule: "text", reason: "text", programVersion: "int", occurredAt: "timestamptz", businessDate: "date" };

/** Writes everything a batch changed: multi-row inserts and one set-based update per table. */
export async function writeBatch(tx: Db, b: Batch, eventRows: (typeof events.$inferInsert)[], extra: SQL[] = []) {
  const m = b.merchantId;
  const parts: (SQL | null)[] = [...extra];
  parts.push(insertSql("events", m, { eventId: "text", type: "text", occurredAt: "timestamptz", memberId: "text", bodyHash: "text", payload: "jsonb", programVersion: "int" }, eventRows));
  const allMembers = [...b.members.values()];
  parts.push(insertSql(
    "members",
    m,
    {
      memberId: "text", name: "text", phone: "text", birthday: "date", referrerId: "text", registeredAt: "timestamptz", tierCode: "text",
      tierSince: "timestamptz", manualTierCode: "text", trialUntil: "timestamptz", growth: "bigint", pointsBalance: "bigint", pointsDebt: "bigint",
      lifetimeSpend: "bigint", orderCount: "int", lastOrderAt: "timestamptz", lastCheckinDate: "date", checkinStreak: "int", lifecycle: "text",
      rfmR: "smallint", rfmF: "smallint", rfmM: "smallint",
    },
    allMembers.filter((x) => x.isNew),
  ));
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
    parts.push(sql`
      update members m set tier_code = x.tier, tier_since = x.since, manual_tier_code = x.manual, trial_until = x.trial,
        growth = x.growth, points_balance = x.bal, points_debt = x.debt, lifetime_spend = x.spend, order_count = x.orders,
        last_order_at = x.last, last_checkin_date = x.ci, checkin_streak = x.streak, lifecycle = x.life, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id text, tier text, since timestamptz, manual text, trial timestamptz,
        growth bigint, bal bigint, debt bigint, spend bigint, orders int, last timestamptz, ci date, streak int, life text)
      where m.merchant_id = ${m} and m.member_id = x.id and ${inList(sql`m.member_id`, changed.map((x) => x.memberId))}`);
  }
  const allOrders = [...b.orders.values()];
  parts.push(insertSql(
    "orders",
    m,
    {
      orderId: "text", memberId: "text", eventId: "text", paidAt: "timestamptz", businessDate: "date", amount: "bigint", memberDiscount: "bigint",
      refundedAmount: "bigint", pointsEarned: "bigint", growthEarned: "bigint", pointsClawed: "bigint", growthClawed: "bigint", tierAtOrder: "text",
    },
    allOrders.filter((o) => o.isNew),
  ));
  const changedOrders = allOrders.filter((o) => !o.isNew && o.dirty).map((o) => ({ id: o.orderId, r: o.refundedAmount, p: o.pointsClawed, g: o.growthClawed }));
  if (changedOrders.length)
    parts.push(sql`
      update orders o set refunded_amount = x.r, points_clawed = x.p, growth_clawed = x.g
      from jsonb_to_recordset(${JSON.stringify(changedOrders)}::jsonb) as x(id text, r bigint, p bigint, g bigint)
      where o.merchant_id = ${m} and o.order_id = x.id`);
  parts.push(insertSql("refunds", m, { eventId: "text", orderId: "text", memberId: "text", refundedAt: "timestamptz", businessDate: "date", amount: "bigint" }, b.refunds));
  parts.push(insertSql("points_ledger", m, { ...ledgerColumns, debtDelta: "bigint" }, b.points));
  parts.push(insertSql("growth_ledger", m, ledgerColumns, b.growth));
  parts.push(insertSql(
    "tier_history",
    m,
    { memberId: "text", fromTier: "text", toTier: "text", direction: "text", reason: "text", source: "text", changedAt: "timestamptz", businessDate: "date" },
    b.tierRows,
  ));
  const lots = [...b.lots.values()].flat();
  parts.push(insertSql(
    "points_lots",
    m,
    { memberId: "text", source: "text", earnedAt: "timestamptz", expiresAt: "timestamptz", amount: "bigint", remaining: "bigint" },
    lots.filter((l) => l.id === null),
  ));
  const changedLots = lots.filter((l) => l.id !== null && l.dirty).map((l) => ({ id: l.id, r: l.remaining }));
  if (changedLots.length)
    parts.push(sql`
      update points_lots l set remaining = x.r
      from jsonb_to_recordset(${JSON.stringify(changedLots)}::jsonb) as x(id bigint, r bigint)
      where l.merchant_id = ${m} and l.id = x.id`);
  const allRights = [...b.rights.values()];
  parts.push(insertSql(
    "right_instances",
    m,
    {
      grantId: "text", memberId: "text", rightCode: "text", tierCode: "text", value: "text", unitCost: "bigint", source: "text", issuedAt: "timestamptz",
      issuedDate: "date", expiresAt: "timestamptz", redeemedAt: "timestamptz", redeemedDate: "date",
    },
    allRights.filter((r) => r.isNew),
  ));
  const redeemed = allRights.filter((r) => !r.isNew && r.dirty).map((r) => ({ id: r.grantId, at: iso(r.redeemedAt), d: r.redeemedDate }));
  if (redeemed.length)
    parts.push(sql`
      update right_instances r set redeemed_at = x.at, redeemed_date = x.d
      from jsonb_to_recordset(${JSON.stringify(redeemed)}::jsonb) as x(id text, at timestamptz, d date)
      where r.merchant_id = ${m} and r.grant_id = x.id`);
  parts.push(insertSql("automation_firings", m, { automationCode: "text", memberId: "text", occasion: "text", firedAt: "timestamptz", firedDate: "date" }, b.firings, {
    onConflictDoNothing: true,
  }));
  parts.push(insertSql("outbox", m, { memberId: "text", template: "text", payload: "jsonb", source: "text", createdAt: "timestamptz" }, b.outbox));
  await writeAll(tx, parts);
}
