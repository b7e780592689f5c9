import { and, eq, gt, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { userSessions, users } from "@/db/schema";
import { randomToken } from "@/lib/util/ids";

/**
 * Server-side sessions: the session cookie (a next-auth JWT) carries the id of a row here, and the
 * guard accepts the cookie only while that row exists, so sign-out and a password change end a
 * session even though a copy of the cookie would still verify.
 */

/** The longest a session lives, however active: the cookie itself expires after 12 idle hours. */
export const SESSION_MAX_AGE_MS = 7 * 24 * 60 * 60_000;

export async function createSession(db: Db, userId: string, now = new Date()): Promise<string> {
  const id = randomToken(24);
  // A user's expired rows go when they sign in again, so the table holds live sessions and a few more.
  await db.delete(userSessions).where(and(eq(userSessions.userId, userId), lt(userSessions.createdAt, new Date(now.getTime() - SESSION_MAX_AGE_MS))));
  await db.insert(userSessions).values({ id, userId, createdAt: now });
  return id;
}

export async function endSession(db: Db, sessionId: string) {
  await db.delete(userSessions).where(eq(userSessions.id, sessionId));
}

export async function endAllSessions(db: Db, userId: string) {
  await db.delete(userSessions).where(eq(userSessions.userId, userId));
}

/** The session's user while the session lives (one query), else undefined. */
export async function userOfSession(db: Db, userId: string, sessionId: string, now = new Date()) {
  const [row] = await db
    .select({ user: users })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId), gt(userSessions.createdAt, new Date(now.getTime() - SESSION_MAX_AGE_MS))));
  return row?.user;
}
