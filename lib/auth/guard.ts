import { cache } from "react";
import { getServerSession } from "next-auth";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { unsafeResolveApiKey } from "@/lib/tenancy/api-keys";
import { authOptions } from "./options";
import { can, type Actor, type Permission } from "./actor";

/**
 * The one place that decides who may do what. Role and merchant are read from the database on
 * every request (not trusted from the session cookie), so a disabled user or a changed role takes
 * effect at once. Deny by default: no actor, or a permission not granted, throws.
 */
export async function actorFromSession(db: Db, read: () => Promise<unknown> = () => getServerSession(authOptions)): Promise<Actor | null> {
  const session = (await read()) as { uid?: string } | null;
  if (!session?.uid) return null;
  const [u] = await db.select().from(users).where(eq(users.id, session.uid));
  if (!u || u.disabledAt) return null;
  return { kind: "user", userId: u.id, merchantId: u.merchantId, role: u.role, email: u.email, name: u.name };
}

export async function actorFromBearer(db: Db, authorization: string | null): Promise<Actor | null | "invalid"> {
  if (!authorization) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!m) return "invalid";
  const key = await unsafeResolveApiKey(db, m[1]);
  if (!key) return "invalid";
  return { kind: "api_key", keyId: key.keyId, merchantId: key.merchantId, prefix: key.prefix };
}

export function assertCan(actor: Actor | null, permission: Permission): asserts actor is Actor {
  if (!actor) throw new AppError("unauthorized", "sign in or send a valid API key");
  if (!can(actor, permission)) throw new AppError("forbidden", `your role may not do this (${permission})`);
}

/** Who sent a request: its Authorization header, and how to read its session cookie (absent: as an App Router handler reads it). */
export interface Caller {
  authorization: string | null;
  session?: () => Promise<unknown>;
}

/** For route handlers: a bearer key if one is sent (a bad one is 401 even with a session), else the session. */
export async function guardCaller(caller: Caller, permission: Permission): Promise<{ actor: Actor; db: Db }> {
  const db = await getDb();
  const bearer = await actorFromBearer(db, caller.authorization);
  if (bearer === "invalid") throw new AppError("unauthorized", "the API key is unknown or revoked");
  const actor = bearer ?? (await actorFromSession(db, caller.session));
  assertCan(actor, permission);
  return { actor, db };
}

/** guardCaller for an App Router route handler's Request. */
export const guardRequest = (request: Request, permission: Permission) =>
  guardCaller({ authorization: request.headers.get("authorization") }, permission);

/** For pages and server actions: the signed-in user with the permission, else an AppError. */
export async function guardSession(permission: Permission): Promise<{ actor: Actor; db: Db }> {
  const db = await getDb();
  const actor = await actorFromSession(db);
  assertCan(actor, permission);
  return { actor, db };
}

/** The signed-in user or null, for pages that render differently per role (once per request). */
export const currentActor = cache(async (): Promise<{ actor: Actor | null; db: Db }> => {
  const db = await getDb();
  return { actor: await actorFromSession(db), db };
});
