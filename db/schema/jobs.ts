import { pgTable, text, timestamp, integer, bigint, jsonb, bigserial, primaryKey, unique, index, date } from "drizzle-orm/pg-core";
import { merchants } from "./tenancy";

const tz = (name: string) => timestamp(name, { withTimezone: true });

export const jobStates = ["queued", "running", "done", "parked"] as const;
export type JobState = (typeof jobStates)[number];

/**
 * The durable queue every piece of background work goes through (lib/jobs/). A row is claimed with
 * `FOR UPDATE SKIP LOCKED` and held by a lease (`locked_by` until `locked_until`); a lease that
 * runs out is taken over by any runner. `key` makes enqueueing idempotent per merchant.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    merchantId: text("merchant_id").notNull().references(() => merchants.id),
    kind: text("kind").notNull(),
    key: text("key").notNull(),
    payload: jsonb("payload").notNull().default({}),
    state: text("state", { enum: jobStates }).notNull().default("queued"),
    runAt: tz("run_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(5),
    lockedBy: text("locked_by"),
    lockedUntil: tz("locked_until"),
    lastError: text("last_error"),
    createdAt: tz("created_at").notNull().defaultNow(),
    finishedAt: tz("finished_at"),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    unique("jobs_key").on(t.merchantId, t.key),
    index("jobs_due").on(t.state, t.runAt),
  ],
);

/** What each period-job day did, for Settings → program (one row per merchant and business date run). */
export const periodDayReports = pgTable(
  "period_day_reports",
  {
    merchantId: text("merchant_id").notNull().references(() => merchants.id),
    businessDate: date("business_date", { mode: "string" }).notNull(),
    trigger: text("trigger", { enum: ["schedule", "manual"] }).notNull(),
    startedAt: tz("started_at").notNull(),
    durationMs: integer("duration_ms").notNull(),
    expiredPoints: bigint("expired_points", { mode: "number" }).notNull(),
    downgrades: integer("downgrades").notNull(),
    rightsIssued: integer("rights_issued").notNull(),
    messages: integer("messages").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.businessDate] })],
);
