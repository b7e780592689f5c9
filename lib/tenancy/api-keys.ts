import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { apiKeyInput } from "@/lib/schemas/api-keys";
import { newId, randomToken, sha256 } from "@/lib/util/ids";
import { AppError, validationError } from "@/lib/errors";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";

// The schema lives in lib/schemas so the client form can import it without this module's server code.
export { apiKeyInput } from "@/lib/schemas/api-keys";

const KEY_PREFIX = "mk_";
const CACHE = Symbol.for("member-console.api-key-cache");

/** Creates a key and returns it in full, the only time it is ever shown; only its hash is kept. */
export async function createApiKey(db: Db, merchantId: string, input: z.input<typeof apiKeyInput>, actor: Actor | null = null) {
  const parsed = apiKeyInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const key = `${KEY_PREFIX}${randomToken(24)}`;
  const id = newId();
  const prefix = key.slice(0, 10);
  await db.transaction(async (tx) => {
    await tx.insert(apiKeys).values({ id, merchantId, name: parsed.data.name, prefix, keyHash: sha256(key), createdBy: actor?.kind === "user" ? actor.userId : null });
    await writeAudit(tx, actor, { merchantId, action: "apikey.create", entity: "api_key", entityId: id, after: { name: parsed.data.name, prefix } });
  });
  return { id, key, prefix, name: parsed.data.name };
}

export async function listApiKeys(db: Db, merchantId: string) {
  return db
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(eq(apiKeys.merchantId, merchantId))
    .orderBy(desc(apiKeys.createdAt));
}

export async function revokeApiKey(db: Db, merchantId: string, keyId: string, actor: Actor | null) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.merchantId, merchantId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix });
    if (!row) throw new AppError("not_found", "API key not found or already revoked");
    await writeAudit(tx, actor, { merchantId, action: "apikey.revoke", entity: "api_key", entityId: keyId, before: { name: row.name, prefix: row.prefix, revoked: false }, after: { revoked: true } });
  });
  forgetCachedKeys();
}

type CachedKey = { value: { keyId: string; merchantId: string; prefix: string } | null; at: number };

/**
 * Key lookups happen on every API call; hits are remembered briefly so a burst costs one query.
 * The cache is one per process, on globalThis: Next bundles this module more than once (route
 * handlers, server actions, the Pages API route), and a revocation made through one copy used to
 * clear that copy's cache only, so the route's copy kept accepting the key for up to 5 s.
 * Another server process on the same PostgreSQL sees a revocation when its entry expires:
 * within KEY_CACHE_MS.
 */
const keyCache: Map<string, CachedKey> = ((globalThis as { [K in typeof CACHE]?: Map<string, CachedKey> })[CACHE] ??= new Map());
export const KEY_CACHE_MS = 5_000;

/** The key's merchant, or null when it is unknown or revoked. Unscoped by design: the key names its merchant. */
export async function unsafeResolveApiKey(db: Db, key: string) {
  if (!key.startsWith(KEY_PREFIX)) return null;
  const hash = sha256(key);
  const hit = keyCache.get(hash);
  if (hit && Date.now() - hit.at < KEY_CACHE_MS) return hit.value;
  const [row] = await db
    .select({ keyId: apiKeys.id, merchantId: apiKeys.merchantId, prefix: apiKeys.prefix, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, hash));
  const value = row && !row.revokedAt ? { keyId: row.keyId, merchantId: row.merchantId, prefix: row.prefix } : null;
  keyCache.set(hash, { value, at: Date.now() });
  return value;
}

/** Revocation takes effect at once in this process (every bundled copy of this module shares the cache). */
export function forgetCachedKeys() {
  keyCache.clear();
}
