import { cache } from "react";
import { getServerSession } from "next-auth";
import { getDb, type Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { unsafeResolveApiKey } from "@/lib/tenancy/api-keys";
import { authOptions } from "./options";
import { userOfSession } from "./sessions";
import { can, type Actor, type Permission } from "./actor";

/**
 * The one place that decides who may do what. Role and merchant are read from the database on
 * every request (not trusted from the session cookie), so a disabled user or a changed role takes
 * effect at once. Deny by default: no actor, or a permission not granted, throws.
 */
export async function actorFromSession(db: Db, read: () => Promise<unknown> = () => getServerSession(authOptions)): Promise<Actor | null> {
  const session = (await read()) as { uid?: string; sid?: string } | null;
  if (!session?.uid || !session.sid) return null;
  // The cookie is only a claim: the session must still exist (sign-out and a password change end it).
  const u = await userOfSession(db, session.uid, session.sid);
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

/**
 * Who sent a request: its Authorization header, how to read its session cookie (absent: as an App
 * Router handler reads it), and what the cross-site check needs (method, Origin, Sec-Fetch-Site, Host).
 */
export interface Caller {
  authorization: string | null;
  session?: () => Promise<unknown>;
  method: string;
  origin: string | null | undefined;
  fetchSite?: string | null | undefined;
  /** `X-Forwarded-Host` if sent (Next sets it to Host otherwise), else Host. */
  host: string | null | undefined;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const extraOrigin = process.env.NEXTAUTH_URL ? new URL(process.env.NEXTAUTH_URL).origin : null;

/**
 * Whether a cookie-authenticated request may change anything: a safe method, or an `Origin` naming
 * this site. A browser sends the cookie with a form posted from any page of the same site (another
 * port, another subdomain), sends `Origin` (and `Sec-Fetch-Site`) on every unsafe request, and lets
 * no page forge either. A request with neither is not a browser's (a script holding the cookie,
 * which needs no forgery): it passes. Two string comparisons: this runs on the events hot path.
 */
export function sameOriginOrSafe(caller: Pick<Caller, "method" | "origin" | "fetchSite" | "host">): boolean {
  if (SAFE_METHODS.has(caller.method)) return true;
  const { origin, host } = caller;
  if (!origin) return !caller.fetchSite || caller.fetchSite === "same-origin";
  if (origin === extraOrigin) return true;
  const at = origin.indexOf("://");
  return !!host && at > 0 && origin.slice(at + 3) === host.split(",")[0].trim();
}

/**
 * For route handlers: a bearer key if one is sent (a bad one is 401 even with a session), else the
 * session, which may change nothing from another site.
 */
export async function guardCaller(caller: Caller, permission: Permission): Promise<{ actor: Actor; db: Db }> {
  const db = await getDb();
  const bearer = await actorFromBearer(db, caller.authorization);
  if (bearer === "invalid") throw new AppError("unauthorized", "the API key is unknown or revoked");
  const actor = bearer ?? (await actorFromSession(db, caller.session));
  assertCan(actor, permission);
  if (!bearer && !sameOriginOrSafe(caller))
    throw new AppError("forbidden", "a signed-in session may change data only from this site's own pages (Origin); other clients use an API key");
  return { actor, db };
}

/** guardCaller for an App Router route handler's Request. */
export const guardRequest = (request: Request, permission: Permission) =>
  guardCaller(
    {
      authorization: request.headers.get("authorization"),
      method: request.method,
      origin: request.headers.get("origin"),
      fetchSite: request.headers.get("sec-fetch-site"),
      host: request.headers.get("x-forwarded-host") ?? request.headers.get("host"),
    },
    permission,
  );

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
