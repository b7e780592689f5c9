import type { SQL } from "drizzle-orm";
import { runStmt, type Db, type Pipeline, type Stmt } from "@/db/client";
import type { events } from "@/db/schema";
import type { Batch } from "./batch";
import { combineWrites, insertSql, listText } from "./sql-json";
import { batchDomainEvents } from "./batch-events";
import { domainEventsSql } from "@/lib/webhooks/domain-events";

/** Updates of rows a batch changed, from the batch's own objects ($2, camelCase keys; Dates as ISO instants). */
const MEMBERS_UPDATE = `update members m set tier_code = x."tierCode", tier_since = x."tierSince", manual_tier_code = x."manualTierCode",
    trial_until = x."trialUntil", growth = x.growth, points_balance = x."pointsBalance", points_debt = x."pointsDebt", lifetime_spend = x."lifetimeSpend",
    order_count = x."orderCount", last_order_at = x."lastOrderAt", last_checkin_date = x."lastCheckinDate", checkin_streak = x."checkinStreak",
    lifecycle = x.lifecycle, updated_at = now()
  from jsonb_to_recordset($2::jsonb) as x("memberId" text, "tierCode" text, "tierSince" timestamptz, "manualTierCode" text, "trialUntil" timestamptz,
    growth bigint, "pointsBalance" bigint, "pointsDebt" bigint, "lifetimeSpend" bigint, "orderCount" int, "lastOrderAt" timestamptz,
    "lastCheckinDate" date, "checkinStreak" int, lifecycle text)
  where m.merchant_id = $1 and m.member_id = x."memberId" and ${listText("m.member_id", 3)}`;
const ORDERS_UPDATE = `update orders o set refunded_amount = x."refundedAmount", points_clawed = x."pointsClawed", growth_clawed = x."growthClawed"
  from jsonb_to_recordset($2::jsonb) as x("orderId" text, "refundedAmount" bigint, "pointsClawed" bigint, "growthClawed" bigint)
  where o.merchant_id = $1 and o.order_id = x."orderId"`;
const LOTS_UPDATE = `update points_lots l set remaining = x.remaining
  from jsonb_to_recordset($2::jsonb) as x("memberId" text, id bigint, remaining bigint)
  where l.merchant_id = $1 and l.member_id = x."memberId" and l.id = x.id`;
const RIGHTS_UPDATE = `update right_instances r set redeemed_at = x."redeemedAt", redeemed_date = x."redeemedDate"
  from jsonb_to_recordset($2::jsonb) as x("grantId" text, "redeemedAt" timestamptz, "redeemedDate" date)
  where r.merchant_id = $1 and r.grant_id = x."grantId"`;

const HOLD_LOTS_UPDATE = `update hold_lots hl set returned = x.returned
  from jsonb_to_recordset($2::jsonb) as x("holdId" text, "lotId" bigint, returned bigint)
  where hl.merchant_id = $1 and hl.hold_id = x."holdId" and hl.lot_id = x."lotId"`;

const ledgerColumns = { memberId: "text", delta: "bigint", kind: "text", source: "text", rule: "text", reason: "text", reasonCode: "text", reasonParams: "jsonb", programVersion: "int", occurredAt: "timestamptz", businessDate: "date" };

/** Writes everything a batch changed (see batchWrites). */
export async function writeBatch(on: Db | Pipeline, b: Batch, eventRows: (typeof events.$inferInsert)[], extra: SQL[] = []) {
  const stmt = batchWrites(b, eventRows, extra);
  if (stmt) await runStmt(on, stmt);
}

/** Everything a batch changed as one statement: multi-row inserts and one set-based update per table. */
export function batchWrites(b: Batch, eventRows: (typeof events.$inferInsert)[], extra: SQL[] = []): Stmt | null {
  const m = b.merchantId;
  const parts: (Stmt | SQL | null)[] = [...extra];
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
  if (changed.length) parts.push({ sql: MEMBERS_UPDATE, params: [m, JSON.stringify(changed), JSON.stringify(changed.map((x) => x.memberId))] });
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
  const changedOrders = allOrders.filter((o) => !o.isNew && o.dirty);
  if (changedOrders.length) parts.push({ sql: ORDERS_UPDATE, params: [m, JSON.stringify(changedOrders)] });
  parts.push(insertSql("refunds", m, { eventId: "text", orderId: "text", memberId: "text", refundedAt: "timestamptz", businessDate: "date", amount: "bigint" }, b.refunds));
  parts.push(insertSql("points_ledger", m, { ...ledgerColumns, debtDelta: "bigint" }, b.points));
  parts.push(insertSql("growth_ledger", m, ledgerColumns, b.growth));
  parts.push(insertSql(
    "tier_history",
    m,
    { memberId: "text", fromTier: "text", toTier: "text", direction: "text", reason: "text", reasonCode: "text", reasonParams: "jsonb", source: "text", changedAt: "timestamptz", businessDate: "date" },
    b.tierRows,
  ));
  const lots = [...b.lots.values()].flat();
  parts.push(insertSql(
    "points_lots",
    m,
    { memberId: "text", source: "text", earnedAt: "timestamptz", expiresAt: "timestamptz", amount: "bigint", remaining: "bigint" },
    lots.filter((l) => l.id === null),
  ));
  const changedLots = lots.filter((l) => l.id !== null && l.dirty);
  if (changedLots.length) parts.push({ sql: LOTS_UPDATE, params: [m, JSON.stringify(changedLots)] });
  const changedHoldLots = [...b.orderHolds.values()].flat().flatMap((h) => h.lots.filter((l) => l.dirty));
  if (changedHoldLots.length) parts.push({ sql: HOLD_LOTS_UPDATE, params: [m, JSON.stringify(changedHoldLots)] });
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
  const redeemed = allRights.filter((r) => !r.isNew && r.dirty);
  if (redeemed.length) parts.push({ sql: RIGHTS_UPDATE, params: [m, JSON.stringify(redeemed)] });
  parts.push(insertSql("automation_firings", m, { automationCode: "text", memberId: "text", occasion: "text", firedAt: "timestamptz", firedDate: "date" }, b.firings, {
    onConflictDoNothing: true,
  }));
  parts.push(insertSql("outbox", m, { memberId: "text", template: "text", payload: "jsonb", source: "text", createdAt: "timestamptz" }, b.outbox));
  parts.push(domainEventsSql(m, batchDomainEvents(b)));
  return combineWrites(parts);
}
