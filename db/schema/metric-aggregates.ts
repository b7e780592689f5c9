import { pgTable, text, timestamp, integer, bigint, bigserial, boolean, date, jsonb, primaryKey } from "drizzle-orm/pg-core";

/*
 * Aggregates for the metrics whose counts are distinct members over a range (repurchase, arpu,
 * tier-changes, retention) or depend on "now" (rights-usage), written by `refreshDistinctAggregates`
 * (lib/metrics/fast-distinct.ts) and read by `fastDistinctMetrics`. Everything is keyed by a tier
 * bucket `tier`: '*' = all, else the tier the member held at the time (orders.tier_at_order, the
 * move's from_tier, right_instances.tier_code, the tier at registration). Sizes depend on the number
 * of days and tiers, not on the number of members or orders.
 */

/** Which business dates the aggregates cover for a merchant (all days first_date..through_date). */
export const metricDistinctState = pgTable("metric_distinct_state", {
  merchantId: text("merchant_id").primaryKey(),
  /** The first day of the grids (the merchant's earliest data when last rebuilt). */
  firstDate: date("first_date", { mode: "string" }).notNull(),
  throughDate: date("through_date", { mode: "string" }).notNull(),
  /**
   * The day through which metric_rights_daily counts redemptions (an invalidation lowers
   * through_date but not this: the next refresh then rebuilds the rights counts).
   */
  rightsThroughDate: date("rights_through_date", { mode: "string" }).notNull(),
  /** Time zone and tier codes in rank order when built: the aggregates are rebuilt, or not used, if they differ. */
  signature: text("signature").notNull(),
  refreshedAt: timestamp("refreshed_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Range-distinct counts of a member's events (kind 'order': member orders; 'up' / 'down': upward /
 * downward tier moves). With p(e) the date of the member's previous event of the kind in the bucket
 * and nx(e) the next one's: firsts(a, x) = #{e : p(e) < a ≤ d(e) ≤ x} = members with an event in
 * [a, x]; repeats(a, x) = #{e : p(e) < a ≤ d(e), nx(e) ≤ x} = members with ≥ 2 in [a, x].
 * Stored sparsely: a row where a value changes with x; the value for (a, b) is the row of the
 * greatest x ≤ b (none: 0).
 */
export const metricEventPairs = pgTable(
  "metric_event_pairs",
  {
    merchantId: text("merchant_id").notNull(),
    kind: text("kind").notNull(),
    tier: text("tier").notNull(),
    a: date("a", { mode: "string" }).notNull(),
    x: date("x", { mode: "string" }).notNull(),
    firsts: integer("firsts").notNull(),
    repeats: integer("repeats").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.kind, t.tier, t.a, t.x] })],
);

/** Per business date and tier bucket: members' net spend, members in the tier at the day's end, registrations. */
export const metricTierDaily = pgTable(
  "metric_tier_daily",
  {
    merchantId: text("merchant_id").notNull(),
    businessDate: date("business_date", { mode: "string" }).notNull(),
    tier: text("tier").notNull(),
    /** Member orders paid that day minus refunds that day, by the order's tier_at_order, fen. */
    memberSpend: bigint("member_spend", { mode: "number" }).notNull(),
    /** Members whose latest tier_history row on or before the day is this tier. */
    tierMembers: integer("tier_members").notNull(),
    /** Members registered that day, by the tier at registration (first tier_history row). */
    registered: integer("registered").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.tier, t.businessDate] })],
);

/** Right instances per issue day, right and bucket (right_instances.tier_code): issued, and redeemed on or before through_date. */
export const metricRightsDaily = pgTable(
  "metric_rights_daily",
  {
    merchantId: text("merchant_id").notNull(),
    tier: text("tier").notNull(),
    issuedDate: date("issued_date", { mode: "string" }).notNull(),
    rightCode: text("right_code").notNull(),
    issued: integer("issued").notNull(),
    redeemed: integer("redeemed").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.tier, t.issuedDate, t.rightCode] })],
);

/**
 * Retention: members registered on day r (bucket: tier at registration) with ≥ 1 order in
 * [first day of f's month, f], for f in r's month .. 11 months later; rows with n > 0 only.
 */
export const metricRetentionDaily = pgTable(
  "metric_retention_daily",
  {
    merchantId: text("merchant_id").notNull(),
    tier: text("tier").notNull(),
    f: date("f", { mode: "string" }).notNull(),
    r: date("r", { mode: "string" }).notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.tier, t.f, t.r] })],
);

/*
 * The open day: the days after the aggregates' last day T up to `open_date` (typically today, before
 * the period job closes it), kept by lib/metrics/open-day.ts as contributions per change key (the
 * engine's lock keys: 'm:<member>' for a member's rows, 'o:<order>' for a guest order's), so that a
 * key whose events changed is recomputed alone: metric_open_sums = the sum of metric_open_contrib
 * over the keys; metric_open_log = the keys of the engine batches applied since (one row per batch,
 * consumed by the next refresh; a reader adds their recomputed contributions minus the stored ones).
 */
export const metricOpenState = pgTable("metric_open_state", {
  merchantId: text("merchant_id").primaryKey(),
  /** The aggregates' last day T the contributions start after. */
  throughDate: date("through_date", { mode: "string" }).notNull(),
  /** The last day they cover (rows dated T + 1 .. open_date; the states are those at its end). */
  openDate: date("open_date", { mode: "string" }).notNull(),
  signature: text("signature").notNull(),
  /** False while a first build runs (the engine already logs its batches; readers do not use it yet). */
  ready: boolean("ready").notNull(),
  refreshedAt: timestamp("refreshed_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A key's contributions: (kind, bucket, d, v, k) → n. Kinds: flows by day d (ms member spend, gs
 * guest spend, rc rights cost, pi / pr / pe points issued / redeemed / expired), changes of the
 * states at open_date's end (po points outstanding, tc members per tier k, lc lifecycle stage k),
 * events of the open days for the distinct counts (p1: an order on d whose member's previous order
 * in the bucket is on v; p2: the one before that), retention (ra: the member counts in month k with
 * a first open order on d, registered on v; rs: registered on d). v = 0001-01-01 when unused or none.
 * Bucket '*' = all, else the tier (held at the time, as the other aggregates).
 */
export const metricOpenContrib = pgTable(
  "metric_open_contrib",
  {
    merchantId: text("merchant_id").notNull(),
    key: text("key").notNull(),
    kind: text("kind").notNull(),
    bucket: text("bucket").notNull(),
    d: date("d", { mode: "string" }).notNull(),
    v: date("v", { mode: "string" }).notNull(),
    k: text("k").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.key, t.kind, t.bucket, t.d, t.v, t.k] })],
);

export const metricOpenSums = pgTable(
  "metric_open_sums",
  {
    merchantId: text("merchant_id").notNull(),
    kind: text("kind").notNull(),
    bucket: text("bucket").notNull(),
    d: date("d", { mode: "string" }).notNull(),
    v: date("v", { mode: "string" }).notNull(),
    k: text("k").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.kind, t.bucket, t.d, t.v, t.k] })],
);

export const metricOpenLog = pgTable(
  "metric_open_log",
  {
    merchantId: text("merchant_id").notNull(),
    id: bigserial("id", { mode: "number" }).notNull(),
    keys: jsonb("keys").$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.id] })],
);

/*
 * RFM at the open day (lib/metrics/rfm-open.ts): the scores need only order statistics, so the
 * rollups' last day T keeps, per bucket ('*' all, else the tier at the end of T), the distributions of
 * the scored members' measures over the trailing 12 months ending T — the joint (last order date,
 * orders) histogram for R × F and the net spend histogram for M (with the count below each value) —
 * written by refreshDailyAggregates for the last day of every refresh. metric_open_rfm is the open
 * day's summary at D (the base plus the open day's 'rf'/'rm' sums), rewritten by every refreshOpenDay.
 */
export const metricRfmBaseState = pgTable("metric_rfm_base_state", {
  merchantId: text("merchant_id").primaryKey(),
  /** The day T the base is for (used only while it equals metric_rollup_state.through_date). */
  throughDate: date("through_date", { mode: "string" }).notNull(),
  /** When it was written: a summary built on another write of the base is not used (rfm-open.ts). */
  writtenAt: timestamp("written_at", { withTimezone: true }).notNull().defaultNow(),
});

export const metricRfmBaseRf = pgTable(
  "metric_rfm_base_rf",
  {
    merchantId: text("merchant_id").notNull(),
    bucket: text("bucket").notNull(),
    lastDate: date("last_date", { mode: "string" }).notNull(),
    orders: integer("orders").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.bucket, t.lastDate, t.orders] })],
);

export const metricRfmBaseM = pgTable(
  "metric_rfm_base_m",
  {
    merchantId: text("merchant_id").notNull(),
    bucket: text("bucket").notNull(),
    /** Net spend in the window, fen. */
    spend: bigint("spend", { mode: "number" }).notNull(),
    n: integer("n").notNull(),
    /** Members of the bucket with a smaller spend. */
    below: integer("below").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.bucket, t.spend] })],
);

export const metricOpenRfm = pgTable(
  "metric_open_rfm",
  {
    merchantId: text("merchant_id").notNull(),
    bucket: text("bucket").notNull(),
    /** The T and D it is for (metric_open_state's when written). */
    throughDate: date("through_date", { mode: "string" }).notNull(),
    openDate: date("open_date", { mode: "string" }).notNull(),
    /** metric_rfm_base_state.written_at of the base it was built on. */
    baseWrittenAt: timestamp("base_written_at", { withTimezone: true }).notNull(),
    /** Joint histogram at D: [days from the window's start to the last order date, orders, members]. */
    joint: jsonb("joint").$type<[number, number, number][]>().notNull(),
    /** Spend distribution at D around the quintile ranks (lib/metrics/rfm-quantiles.ts QuantileSummary). */
    spend: jsonb("spend").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.bucket] })],
);
