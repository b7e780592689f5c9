import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./passwords";
import { blockedUntil, clearFailures, recordFailure, throttleKeys } from "./rate-limit";
import { createSession } from "./sessions";

export type SignInResult =
  | { outcome: "ok"; user: { id: string; email: string; name: string }; sessionId: string }
  | { outcome: "invalid" }
  | { outcome: "rate_limited"; until: Date };

/**
 * Checks an email and password from a client address and, when they match, opens a session.
 * An unknown email costs the same password check as a known one, and answers the same.
 */
export async function signInWithPassword(db: Db, input: { email: string; password: string; address: string }, now = new Date()): Promise<SignInResult> {
  const keys = throttleKeys(input.email, input.address);
  const until = await blockedUntil(db, keys, now);
  if (until) return { outcome: "rate_limited", until };
  const [user] = await db.select().from(users).where(eq(users.email, input.email));
  const check = user ? await verifyPassword(input.password, user.passwordHash) : { ok: await verifyAgainstDummy(input.password), rehash: false };
  if (!user || !check.ok || user.disabledAt) {
    await recordFailure(db, keys, now);
    return { outcome: "invalid" };
  }
  // A bcrypt hash from before argon2id is replaced now that the password is known.
  if (check.rehash) await db.update(users).set({ passwordHash: await hashPassword(input.password) }).where(eq(users.id, user.id));
  await clearFailures(db, keys.slice(0, 2));
  const sessionId = await createSession(db, user.id, now);
  return { outcome: "ok", user: { id: user.id, email: user.email, name: user.name }, sessionId };
}
