import { sql } from "drizzle-orm";
import { pgTable, text, timestamp, integer, bigint, date, primaryKey, index, smallint, jsonb, bigserial, unique } from "drizzle-orm/pg-core";

const money = (name: string) => bigint(name, { mode: "number" });
const tz = (name: string) => timestamp(name, { withTimezone: true });

/** The member's current state: a projection the engine keeps in step with the ledgers. */
export const members = pgTable(
  "members",
  {
    merchantId: text("merchant_id").notNull(),
    memberId: text("member_id").notNull(),
    name: text("name"),
    phone: text("phone"),
    birthday: date("birthday", { mode: "string" }),
    referrerId: text("referrer_id"),
    registeredAt: tz("registered_at").notNull(),
    tierCode: text("tier_code").notNull(),
    tierSince: tz("tier_since").notNull(),
    /** Set by an operator: a floor that holds until the next period evaluation. */
    manualTierCode: text("manual_tier_code"),
    trialUntil: tz("trial_until"),
    growth: money("growth").notNull().default(0),
    pointsBalance: money("points_balance").notNull().default(0),
    /** Points clawed back after they were spent: later earnings pay this off first. */
    pointsDebt: money("points_debt").notNull().default(0),
    lifetimeSpend: money("lifetime_spend").notNull().default(0),
    orderCount: integer("order_count").notNull().default(0),
    lastOrderAt: tz("last_order_at"),
    lastCheckinDate: date("last_checkin_date", { mode: "string" }),
    checkinStreak: integer("checkin_streak").notNull().default(0),
    lifecycle: text("lifecycle", { enum: ["new", "active", "dormant", "lost"] }).notNull().default("new"),
    rfmR: smallint("rfm_r").notNull().default(1),
    rfmF: smallint("rfm_f").notNull().default(1),
    rfmM: smallint("rfm_m").notNull().default(1),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  // The members list adds its own indexes (drizzle/0003_members_indexes.sql: registration, spend,
  // points, last order, and prefix search on id, phone and name; drizzle/0019: the last four phone digits).
  (t) => [
    primaryKey({ columns: [t.merchantId, t.memberId] }),
    index("members_tier").on(t.merchantId, t.tierCode, t.memberId),
    // No index on (merchant_id, last_order_at): the list's members_list_last_order, on
    // coalesce(last_order_at, 'epoch'), serves ranges of it too, and every order updates both.
  ],
);

/** One row per applied event: the idempotency key of the whole engine. */
export const events = pgTable(
  "events",
  {
    merchantId: text("merchant_id").notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    occurredAt: tz("occurred_at").notNull(),
    memberId: text("member_id"),
    bodyHash: text("body_hash").notNull(),
    payload: jsonb("payload").notNull(),
    programVersion: integer("program_version").notNull(),
    receivedAt: tz("received_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.eventId] }),
    // The period job's first day (min occurred_at). Nothing reads events by member (the ledgers
    // answer that), so there is no index for it: each one costs every event an entry.
    index("events_occurred").on(t.merchantId, t.occurredAt),
  ],
);

export const orders = pgTable(
  "orders",
  {
    merchantId: text("merchant_id").notNull(),
    orderId: text("order_id").notNull(),
    memberId: text("member_id"),
    eventId: text("event_id").notNull(),
    paidAt: tz("paid_at").notNull(),
    businessDate: date("business_date", { mode: "string" }).notNull(),
    amount: money("amount").notNull(),
    memberDiscount: money("member_discount").notNull().default(0),
    refundedAmount: money("refunded_amount").notNull().default(0),
    pointsEarned: money("points_earned").notNull().default(0),
    growthEarned: money("growth_earned").notNull().default(0),
    pointsClawed: money("points_clawed").notNull().default(0),
    growthClawed: money("growth_clawed").notNull().default(0),
    tierAtOrder: text("tier_at_order"),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.orderId] }),
    index("orders_member").on(t.merchantId, t.memberId, t.paidAt),
    index("orders_date").on(t.merchantId, t.businessDate),
  ],
);

export const refunds = pgTable(
  "refunds",
  {
    merchantId: text("merchant_id").notNull(),
    eventId: text("event_id").notNull(),
    orderId: text("order_id").notNull(),
    memberId: text("member_id"),
    refundedAt: tz("refunded_at").notNull(),
    businessDate: date("business_date", { mode: "string" }).notNull(),
    amount: money("amount").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.eventId] }),
    index("refunds_date").on(t.merchantId, t.businessDate),
    // A member's refunds (the open day's RFM contributions: net spend over the trailing 12 months).
    index("refunds_member").on(t.merchantId, t.memberId, t.businessDate),
  ],
);

/**
 * Append-only. `source` names what caused the row (event, redemption, expiry of a lot, period
 * job, operator) and is unique per merchant, so replaying a cause can never post twice.
 */
export const pointsLedger = pgTable(
  "points_ledger",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    merchantId: text("merchant_id").notNull(),
    memberId: text("member_id").notNull(),
    delta: money("delta").notNull(),
    /** The debt change this row made (positive adds debt, negative pays it off). */
    debtDelta: money("debt_delta").notNull().default(0),
    kind: text("kind", { enum: ["earn", "spend", "clawback", "expire", "adjust", "bonus"] }).notNull(),
    source: text("source").notNull(),
    rule: text("rule"),
    reason: text("reason").notNull(),
    /** Why, as a code of lib/reasons with its parameters (rendered per locale); null on rows from before codes. */
    reasonCode: text("reason_code"),
    reasonParams: jsonb("reason_params"),
    programVersion: integer("program_version"),
    occurredAt: tz("occurred_at").notNull(),
    businessDate: date("business_date", { mode: "string" }).notNull(),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  // The key leads with the member: every read of the ledger is one member's rows newest first (or a
  // day's, by points_ledger_date), so a separate (merchant_id, id) key was one more entry per row
  // that nothing read.
  (t) => [
    primaryKey({ columns: [t.merchantId, t.memberId, t.id] }),
    unique("points_ledger_source").on(t.merchantId, t.source),
    index("points_ledger_date").on(t.merchantId, t.businessDate),
  ],
);

/** Earned points by lot, so spending and expiry go oldest-expiring first. */
export const pointsLots = pgTable(
  "points_lots",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    merchantId: text("merchant_id").notNull(),
    memberId: text("member_id").notNull(),
    source: text("source").notNull(),
    earnedAt: tz("earned_at").notNull(),
    expiresAt: tz("expires_at").notNull(),
    amount: money("amount").notNull(),
    remaining: money("remaining").notNull(),
  },
  // Keyed by member (the engine and the member page read a member's lots, a handful each). No unique
  // key on `source`: a lot is only ever written beside the earn row of the same source in
  // points_ledger, whose unique key already makes it once-only.
  (t) => [
    primaryKey({ columns: [t.merchantId, t.memberId, t.id] }),
    index("points_lots_expiry").on(t.merchantId, t.expiresAt),
  ],
);

export const growthLedger = pgTable(
  "growth_ledger",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    merchantId: text("merchant_id").notNull(),
    memberId: text("member_id").notNull(),
    delta: money("delta").notNull(),
    kind: text("kind", { enum: ["earn", "clawback", "adjust"] }).notNull(),
    source: text("source").notNull(),
    rule: text("rule"),
    reason: text("reason").notNull(),
    /** Why, as a code of lib/reasons with its parameters (rendered per locale); null on rows from before codes. */
    reasonCode: text("reason_code"),
    reasonParams: jsonb("reason_params"),
    programVersion: integer("program_version"),
    occurredAt: tz("occurred_at").notNull(),
    businessDate: date("business_date", { mode: "string" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.memberId, t.id] }),
    unique("growth_ledger_source").on(t.merchantId, t.source),
  ],
);

export const tierHistory = pgTable(
  "tier_history",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    merchantId: text("merchant_id").notNull(),
    memberId: text("member_id").notNull(),
    fromTier: text("from_tier"),
    toTier: text("to_tier").notNull(),
    direction: text("direction", { enum: ["initial", "up", "down", "manual", "trial"] }).notNull(),
    reason: text("reason").notNull(),
    reasonCode: text("reason_code"),
    reasonParams: jsonb("reason_params"),
    source: text("source").notNull(),
    changedAt: tz("changed_at").notNull(),
    businessDate: date("business_date", { mode: "string" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    unique("tier_history_source").on(t.merchantId, t.source),
    index("tier_history_member").on(t.merchantId, t.memberId, t.changedAt),
    index("tier_history_date").on(t.merchantId, t.businessDate),
  ],
);

export const rightInstances = pgTable(
  "right_instances",
  {
    merchantId: text("merchant_id").notNull(),
    grantId: text("grant_id").notNull(),
    memberId: text("member_id").notNull(),
    rightCode: text("right_code").notNull(),
    tierCode: text("tier_code"),
    value: text("value"),
    unitCost: money("unit_cost").notNull(),
    source: text("source").notNull(),
    issuedAt: tz("issued_at").notNull(),
    issuedDate: date("issued_date", { mode: "string" }).notNull(),
    expiresAt: tz("expires_at"),
    redeemedAt: tz("redeemed_at"),
    redeemedDate: date("redeemed_date", { mode: "string" }),
    /** The redemption code (核销码) a cashier scans or types: see right_code_seq in checkout.ts. */
    code: text("code")
      .notNull()
      .default(sql`nextval('right_code_seq')::text || lpad((floor(random() * 1000000))::int::text, 6, '0')`),
    /** Set when an operator voids the instance (with the audit row's reason); a void instance is never usable. */
    voidedAt: tz("voided_at"),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.grantId] }),
    unique("right_instances_code").on(t.merchantId, t.code),
    unique("right_instances_source").on(t.merchantId, t.source),
    index("right_instances_member").on(t.merchantId, t.memberId, t.issuedAt),
    index("right_instances_issued").on(t.merchantId, t.issuedDate),
  ],
);

export const redemptions = pgTable(
  "redemptions",
  {
    merchantId: text("merchant_id").notNull(),
    redemptionId: text("redemption_id").notNull(),
    memberId: text("member_id").notNull(),
    points: money("points").notNull(),
    reason: text("reason").notNull(),
    bodyHash: text("body_hash").notNull(),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.redemptionId] })],
);

export const automationFirings = pgTable(
  "automation_firings",
  {
    merchantId: text("merchant_id").notNull(),
    automationCode: text("automation_code").notNull(),
    memberId: text("member_id").notNull(),
    /** The occasion the firing belongs to (a date, a tier, a lot): at most one firing per key. */
    occasion: text("occasion").notNull(),
    firedAt: tz("fired_at").notNull(),
    firedDate: date("fired_date", { mode: "string" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.automationCode, t.memberId, t.occasion] }),
    index("automation_firings_member").on(t.merchantId, t.memberId, t.firedAt),
    index("automation_firings_date").on(t.merchantId, t.automationCode, t.firedDate),
  ],
);

/** Messages for the shop to read and send; the app itself sends nothing. */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    merchantId: text("merchant_id").notNull(),
    memberId: text("member_id").notNull(),
    template: text("template").notNull(),
    payload: jsonb("payload").notNull(),
    source: text("source").notNull(),
    createdAt: tz("created_at").notNull(),
    /**
     * The message's place in the outbox feed, given once it is committed (lib/outbox/sequence.ts):
     * readers page by it, so a message committed late never lands behind a reader's cursor.
     */
    seq: bigint("seq", { mode: "number" }),
    /** When it was sequenced: the first moment it was visible as committed. */
    committedAt: tz("committed_at"),
    /**
     * An automation's message (source `auto:…`) as the frequency cap and quiet hours decided it
     * (lib/messages/delivery.ts): `sent` (into the feed), `held` (into the feed at `held_until`),
     * `capped` (never sent); null: not decided yet, or not an automation's message.
     */
    status: text("status", { enum: ["sent", "held", "capped"] }),
    heldUntil: tz("held_until"),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    unique("outbox_source").on(t.merchantId, t.source),
    unique("outbox_seq").on(t.merchantId, t.seq),
    // Capped messages are never sequenced: out of the sequencer's index, so they do not pile up in its scan.
    index("outbox_unsequenced").on(t.merchantId, t.id).where(sql`seq is null and status is distinct from 'capped'`),
    index("outbox_created").on(t.merchantId, t.createdAt),
    // A member's recent messages, for the frequency cap.
    index("outbox_member").on(t.merchantId, t.memberId, t.createdAt),
  ],
);

export const periodRuns = pgTable(
  "period_runs",
  {
    merchantId: text("merchant_id").notNull(),
    businessDate: date("business_date", { mode: "string" }).notNull(),
    ranAt: tz("ran_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.businessDate] })],
);

/**
 * A period-job day under way: it runs in chunks of members (ids after `doneThrough` are left), each
 * its own short transaction; the row goes when the day's `period_runs` row comes, so a crash resumes
 * after the last committed chunk.
 */
export const periodProgress = pgTable(
  "period_progress",
  {
    merchantId: text("merchant_id").notNull(),
    businessDate: date("business_date", { mode: "string" }).notNull(),
    doneThrough: text("done_through").notNull(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.businessDate] })],
);
