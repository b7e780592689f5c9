import { inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { signInThrottle } from "@/db/schema";

/**
 * Failed sign-ins, counted in the database (so every server process on one PostgreSQL sees the same
 * counts) under three keys, each answered with growing delays rather than a hard lock:
 * - the account from one address: the guessing of one attacker at one account, slowed hard;
 * - the account from anywhere: a distributed attack on it, slowed, but never by more than 30 s,
 *   so failures anyone can cause keep its owner out for half a minute at most;
 * - the address across accounts: one client trying many accounts.
 * A key's count starts over after an hour without failures; a success clears the account's keys.
 */
interface Rule {
  /** Failures allowed before the first delay. */
  free: number;
  baseMs: number;
  capMs: number;
}

const SECOND = 1000;
export const rules = {
  pair: { free: 5, baseMs: 15 * SECOND, capMs: 15 * 60 * SECOND },
  account: { free: 10, baseMs: 15 * SECOND, capMs: 30 * SECOND },
  address: { free: 50, baseMs: 15 * SECOND, capMs: 15 * 60 * SECOND },
} satisfies Record<string, Rule>;

export const WINDOW_MS = 60 * 60 * SECOND;

/** The delay after the `failures`-th failure in a row: none for the free ones, then base, 2×base, 4×base… up to the cap. */
export function delayAfter(rule: Rule, failures: number) {
  return failures < rule.free ? 0 : Math.min(rule.capMs, rule.baseMs * 2 ** (failures - rule.free));
}

export interface ThrottleKey {
  key: string;
  rule: Rule;
}

export function throttleKeys(email: string, address: string): ThrottleKey[] {
  return [
    { key: `acct:${email}|${address}`, rule: rules.pair },
    { key: `acct:${email}`, rule: rules.account },
    { key: `ip:${address}`, rule: rules.address },
  ];
}

/** When the earliest next attempt under these keys may be made, or null when it may be made now. */
export async function blockedUntil(db: Db, keys: ThrottleKey[], now = new Date()): Promise<Date | null> {
  const rows = await db
    .select({ until: signInThrottle.blockedUntil })
    .from(signInThrottle)
    .where(inArray(signInThrottle.key, keys.map((k) => k.key)));
  const until = Math.max(0, ...rows.map((r) => r.until.getTime()));
  return until > now.getTime() ? new Date(until) : null;
}

export async function recordFailure(db: Db, keys: ThrottleKey[], now = new Date()) {
  const windowStart = new Date(now.getTime() - WINDOW_MS).toISOString();
  for (const { key, rule } of keys) {
    // The count after this failure, computed in one statement so concurrent failures all count.
    const n = sql`(case when t.last_failure_at < ${windowStart}::timestamptz then 1 else t.failures + 1 end)`;
    const delay = sql`(case when ${n} < ${rule.free}::int then 0 else least(${rule.capMs}::float8, ${rule.baseMs}::float8 * power(2::float8, ${n} - ${rule.free}::int)) end)`;
    await db.execute(sql`
      insert into sign_in_throttle as t (key, failures, last_failure_at, blocked_until)
      values (${key}, 1, ${now.toISOString()}::timestamptz, ${new Date(now.getTime() + delayAfter(rule, 1)).toISOString()}::timestamptz)
      on conflict (key) do update set
        failures = ${n},
        last_failure_at = ${now.toISOString()}::timestamptz,
        blocked_until = ${now.toISOString()}::timestamptz + ${delay} * interval '1 millisecond'`);
  }
}

export async function clearFailures(db: Db, keys: ThrottleKey[]) {
  await db.delete(signInThrottle).where(inArray(signInThrottle.key, keys.map((k) => k.key)));
}
