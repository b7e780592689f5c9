import { pgTable, text, timestamp, integer, bigint, date, primaryKey, jsonb } from "drizzle-orm/pg-core";

const amount = (name: string) => bigint(name, { mode: "number" });

/**
 * One row per merchant × business date × tier: the additive parts of the KPIs on that day and the
 * state snapshots at its end, written by `refreshDailyAggregates` (lib/metrics/rollup.ts, set-based,
 * equal by test to the raw metric functions with granularity "day"). `tier` = '' is every member;
 * a tier code is the tier filter's figures ("the tier held at the time": flows of members holding
 * that tier at the flow's time, states of the members in it at the day's end). The fast metrics
 * (lib/metrics/fast.ts) read these instead of scanning orders and ledgers.
 */
export const metricDaily = pgTable(
  "metric_daily",
  {
    merchantId: text("merchant_id").notNull(),
    businessDate: date("business_date", { mode: "string" }).notNull(),
    /** '' for all members, else the tier filter's code. */
    tier: text("tier").notNull().default(""),
    /** Members' net spend that day (payments minus refunds, each on its own day), fen. */
    memberSpend: amount("member_spend").notNull(),
    /** Guests' net spend that day, fen (the same in every tier's row: guests have no tier). */
    guestSpend: amount("guest_spend").notNull(),
    /** Unit cost of right instances redeemed that day + member discounts of member orders paid that day, fen. */
    rightsCost: amount("rights_cost").notNull(),
    pointsIssued: amount("points_issued").notNull(),
    pointsRedeemed: amount("points_redeemed").notNull(),
    pointsExpired: amount("points_expired").notNull(),
    /** Points outstanding at the end of the day (all deltas up to it). */
    pointsOutstanding: amount("points_outstanding").notNull(),
    /** Members per tier at the end of the day (non-zero counts only). */
    tiers: jsonb("tiers").$type<Record<string, number>>().notNull(),
    lifecycleNew: integer("lifecycle_new").notNull(),
    lifecycleActive: integer("lifecycle_active").notNull(),
    lifecycleDormant: integer("lifecycle_dormant").notNull(),
    lifecycleLost: integer("lifecycle_lost").notNull(),
    /**
     * The RFM result at the end of the day: { members, grid[r-1][f-1], m[s-1] }; null on days without
     * an RFM snapshot (see refreshDailyAggregates: month ends, the last days, the days the period job
     * closes), which the fast path asks of the raw function.
     */
    rfm: jsonb("rfm").$type<{ members: number; grid: number[][]; m: number[] }>(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.businessDate, t.tier] })],
);

/** Which business dates metric_daily covers for a merchant: every day from first_date to through_date. */
export const metricRollupState = pgTable("metric_rollup_state", {
  merchantId: text("merchant_id").primaryKey(),
  firstDate: date("first_date", { mode: "string" }).notNull(),
  throughDate: date("through_date", { mode: "string" }).notNull(),
  refreshedAt: timestamp("refreshed_at", { withTimezone: true }).notNull().defaultNow(),
});
