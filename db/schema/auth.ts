import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./tenancy";

/**
 * One row per signed-in browser session: the session cookie names its row, and the guard accepts a
 * cookie only while the row exists. Sign-out deletes the row; a password change deletes all the
 * user's rows. Not merchant data: a user belongs to one merchant already.
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("user_sessions_user").on(t.userId)],
);

/**
 * Failed sign-ins per throttle key (`acct:<email>`, `acct:<email>|<address>`, `ip:<address>`), in
 * the database so every server process sees the same counts (lib/auth/rate-limit.ts).
 */
export const signInThrottle = pgTable("sign_in_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  lastFailureAt: timestamp("last_failure_at", { withTimezone: true }).notNull(),
  /** No sign-in under this key before this time. */
  blockedUntil: timestamp("blocked_until", { withTimezone: true }).notNull(),
});
