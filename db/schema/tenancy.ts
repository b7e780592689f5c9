import { pgTable, text, timestamp, unique, index, date } from "drizzle-orm/pg-core";

/** A merchant is one tenant: every other table carries its id in a key. */
export const merchants = pgTable("merchants", {
  id: text("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  /** The first business day the period job runs by itself; none set: the day the merchant was created. */
  goLiveDate: date("go_live_date", { mode: "string" }),
});

export const roles = ["owner", "operator", "analyst"] as const;
export type Role = (typeof roles)[number];

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull().references(() => merchants.id),
    // Sign-in is by email alone, so an email names one user across the deployment.
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    role: text("role", { enum: roles }).notNull(),
    passwordHash: text("password_hash").notNull(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("users_merchant_id_id").on(t.merchantId, t.id)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull().references(() => merchants.id),
    name: text("name").notNull(),
    /** The first characters of the key, shown in lists so an owner can tell keys apart. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [unique("api_keys_merchant_id_id").on(t.merchantId, t.id), index("api_keys_merchant").on(t.merchantId)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    merchantId: text("merchant_id").notNull().references(() => merchants.id),
    id: text("id").notNull(),
    actorType: text("actor_type", { enum: ["user", "api_key", "system"] }).notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label"),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id"),
    before: text("before"),
    after: text("after"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("audit_log_pk").on(t.merchantId, t.id), index("audit_log_at").on(t.merchantId, t.at)],
);
