import { pgTable, text, timestamp, integer, jsonb, primaryKey, boolean, bigint, index } from "drizzle-orm/pg-core";
import { merchants } from "./tenancy";

/**
 * Program configuration is copy-on-write: every save writes a new version with all its rows, and
 * an event is evaluated under the version whose effectiveFrom is the latest one not after it.
 * Version 1 is in force from the beginning of time so history can be loaded.
 */
export const programVersions = pgTable(
  "program_versions",
  {
    merchantId: text("merchant_id").notNull().references(() => merchants.id),
    version: integer("version").notNull(),
    effectiveFrom: timestamp("effective_from", { withTimezone: true }).notNull(),
    timeZone: text("time_zone").notNull(),
    tierMode: text("tier_mode", { enum: ["any", "all"] }).notNull().default("any"),
    /** The tiers' retention rules: `{ kind: "perTier", tiers: { [tierCode]: rule } }` (before: one rule for all tiers above the entry tier; see lib/program/store.ts). */
    retention: jsonb("retention").notNull(),
    trial: jsonb("trial"),
    pointsRules: jsonb("points_rules").notNull(),
    growthRules: jsonb("growth_rules").notNull(),
    lifecycle: jsonb("lifecycle").notNull(),
    costs: jsonb("costs").notNull(),
    /** Stored value rules (`{ enabled, topUpBonuses }`); null in versions written before stored value: disabled. */
    wallet: jsonb("wallet"),
    /** Message templates, frequency cap and quiet hours (lib/schemas/messages.ts); null in versions written before them: none. */
    messaging: jsonb("messaging"),
    /** Paid-membership plans (an array of lib/schemas/program.ts `planInput`); null in versions written before plans: none. */
    plans: jsonb("plans"),
    createdBy: text("created_by"),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.version] }), index("program_versions_eff").on(t.merchantId, t.effectiveFrom)],
);

export const tiers = pgTable(
  "tiers",
  {
    merchantId: text("merchant_id").notNull(),
    version: integer("version").notNull(),
    code: text("code").notNull(),
    rank: integer("rank").notNull(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    color: text("color").notNull(),
    /** [{ measure: "growth"|"spend"|"orders", window: "lifetime"|"rolling12m"|"calendarYear", value }] */
    thresholds: jsonb("thresholds").notNull(),
    thresholdMode: text("threshold_mode", { enum: ["any", "all"] }).notNull().default("any"),
    pointsMultiplier: integer("points_multiplier_pct").notNull().default(100),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.version, t.code] })],
);

export const rights = pgTable(
  "rights",
  {
    merchantId: text("merchant_id").notNull(),
    version: integer("version").notNull(),
    code: text("code").notNull(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    kind: text("kind").notNull(),
    cadence: text("cadence", { enum: ["always", "upgrade", "monthly", "birthday", "once"] }).notNull(),
    group: text("group", { enum: ["base", "tier", "exclusive"] }).notNull().default("tier"),
    unitCost: bigint("unit_cost", { mode: "number" }).notNull(),
    faceValue: bigint("face_value", { mode: "number" }),
    validityDays: integer("validity_days"),
    /** What a coupon takes off at checkout (`{ type: "amount" | "percent" | "shipping", … }`); null: not usable at checkout. */
    coupon: jsonb("coupon"),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.version, t.code] })],
);

export const matrixCells = pgTable(
  "matrix_cells",
  {
    merchantId: text("merchant_id").notNull(),
    version: integer("version").notNull(),
    tierCode: text("tier_code").notNull(),
    rightCode: text("right_code").notNull(),
    value: text("value"),
    quantity: integer("quantity").notNull(),
    /** Unit cost for this tier when it differs from the right's (e.g. birthday coupon face value). */
    unitCost: bigint("unit_cost", { mode: "number" }),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.version, t.tierCode, t.rightCode] })],
);

export const campaigns = pgTable(
  "campaigns",
  {
    merchantId: text("merchant_id").notNull(),
    version: integer("version").notNull(),
    code: text("code").notNull(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    /** { kind: "range", from, to } | { kind: "monthlyDay", day } | { kind: "weekday", weekday } | { kind: "birthdayMonth" } */
    schedule: jsonb("schedule").notNull(),
    targetTiers: jsonb("target_tiers").notNull(),
    /** { kind: "pointsMultiplier", pct } | { kind: "bonusPoints", points } | { kind: "extraDiscount", pct } | { kind: "grantRight", rightCode } */
    effect: jsonb("effect").notNull(),
    enabled: boolean("enabled").notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.version, t.code] })],
);

export const automations = pgTable(
  "automations",
  {
    merchantId: text("merchant_id").notNull(),
    version: integer("version").notNull(),
    code: text("code").notNull(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    trigger: jsonb("trigger").notNull(),
    actions: jsonb("actions").notNull(),
    /** At most once per this many days per member; null means once ever for the trigger's occasion. */
    cooldownDays: integer("cooldown_days"),
    enabled: boolean("enabled").notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.version, t.code] })],
);
