import { sql } from "drizzle-orm";
import { pgTable, text, timestamp, bigint, bigserial, date, primaryKey, index, unique, jsonb, pgSequence } from "drizzle-orm/pg-core";

const money = (name: string) => bigint(name, { mode: "number" });
const tz = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Redemption codes (核销码) of right instances: this sequence's next value followed by six random
 * digits. The sequence part makes a code unique (two codes of equal length share their sequence
 * part only if they are the same), the random part makes it unguessable from its neighbours.
 */
export const rightCodeSeq = pgSequence("right_code_seq", { startWith: 100000 });

/**
 * A checkout hold (api.md, Checkout): points, coupons and stored value set aside for one order
 * while the customer pays. `status` is what was decided; a `held` hold past `expires_at` is
 * released by time alone (every read treats it as released), so nothing has to run for it.
 */
export const holds = pgTable(
  "holds",
  {
    merchantId: text("merchant_id").notNull(),
    holdId: text("hold_id").notNull(),
    memberId: text("member_id").notNull(),
    orderId: text("order_id").notNull(),
    amount: money("amount").notNull(),
    points: money("points").notNull(),
    pointsValue: money("points_value").notNull(),
    wallet: money("wallet").notNull(),
    payable: money("payable").notNull(),
    status: text("status", { enum: ["held", "confirmed", "released"] }).notNull(),
    bodyHash: text("body_hash").notNull(),
    createdAt: tz("created_at").notNull(),
    expiresAt: tz("expires_at").notNull(),
    closedAt: tz("closed_at"),
    /** Who released it and why, when an operator did (null for the API and for expiry). */
    releasedBy: jsonb("released_by"),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.holdId] }),
    index("holds_member").on(t.merchantId, t.memberId, t.status),
    index("holds_order").on(t.merchantId, t.orderId),
    // The rights cost of a period reads the holds confirmed in it.
    index("holds_closed").on(t.merchantId, t.closedAt),
    // Holds that lapse unconfirmed stay "held": the webhook fan-out finds them by expiry (hold.expired).
    index("holds_open_expiry").on(t.merchantId, t.expiresAt).where(sql`status = 'held'`),
  ],
);

/** The points a hold set aside, lot by lot (oldest-expiring first): a refund gives them back to these lots. */
export const holdLots = pgTable(
  "hold_lots",
  {
    merchantId: text("merchant_id").notNull(),
    holdId: text("hold_id").notNull(),
    memberId: text("member_id").notNull(),
    lotId: bigint("lot_id", { mode: "number" }).notNull(),
    points: money("points").notNull(),
    /** Points of this lot given back by refunds so far. */
    returned: money("returned").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.holdId, t.lotId] }), index("hold_lots_lot").on(t.merchantId, t.memberId, t.lotId)],
);

/** The coupons a hold uses, with what each takes off the order. */
export const holdGrants = pgTable(
  "hold_grants",
  {
    merchantId: text("merchant_id").notNull(),
    holdId: text("hold_id").notNull(),
    grantId: text("grant_id").notNull(),
    discount: money("discount").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.holdId, t.grantId] }), index("hold_grants_grant").on(t.merchantId, t.grantId)],
);

/** A member's stored value (储值): principal (paid in) and bonus (given), kept apart. */
export const wallets = pgTable(
  "wallets",
  {
    merchantId: text("merchant_id").notNull(),
    memberId: text("member_id").notNull(),
    principal: money("principal").notNull().default(0),
    bonus: money("bonus").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.memberId] })],
);

/** One top-up: what it paid in and gave, and what of each is still unspent (spends take oldest first). */
export const walletTopUps = pgTable(
  "wallet_top_ups",
  {
    merchantId: text("merchant_id").notNull(),
    topUpId: text("top_up_id").notNull(),
    memberId: text("member_id").notNull(),
    principal: money("principal").notNull(),
    bonus: money("bonus").notNull(),
    principalLeft: money("principal_left").notNull(),
    bonusLeft: money("bonus_left").notNull(),
    toppedUpAt: tz("topped_up_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.topUpId] }), index("wallet_top_ups_member").on(t.merchantId, t.memberId, t.toppedUpAt)],
);

/** What a confirmed hold took from each top-up: a refund gives it back there, as principal and bonus. */
export const holdTopUps = pgTable(
  "hold_top_ups",
  {
    merchantId: text("merchant_id").notNull(),
    holdId: text("hold_id").notNull(),
    topUpId: text("top_up_id").notNull(),
    principal: money("principal").notNull(),
    bonus: money("bonus").notNull(),
    principalReturned: money("principal_returned").notNull().default(0),
    bonusReturned: money("bonus_returned").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.holdId, t.topUpId] })],
);

/** Append-only; `source` is unique per merchant, so replaying a cause never posts twice. */
export const walletLedger = pgTable(
  "wallet_ledger",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    merchantId: text("merchant_id").notNull(),
    memberId: text("member_id").notNull(),
    type: text("type", { enum: ["top_up", "top_up_refund", "spend", "refund"] }).notNull(),
    source: text("source").notNull(),
    principal: money("principal").notNull(),
    bonus: money("bonus").notNull(),
    principalAfter: money("principal_after").notNull(),
    bonusAfter: money("bonus_after").notNull(),
    at: tz("at").notNull(),
    businessDate: date("business_date", { mode: "string" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.memberId, t.id] }),
    unique("wallet_ledger_source").on(t.merchantId, t.source),
    index("wallet_ledger_date").on(t.merchantId, t.businessDate),
  ],
);
