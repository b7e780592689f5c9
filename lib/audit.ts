import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";
import { newId } from "@/lib/util/ids";
import type { Actor } from "@/lib/auth/actor";

/** One row per change: who, what, before and after. Written inside the change's transaction. */
export async function writeAudit(
  db: Db,
  actor: Actor | null,
  entry: { merchantId: string; action: string; entity: string; entityId?: string | null; before?: unknown; after?: unknown },
) {
  await db.insert(auditLog).values({
    merchantId: entry.merchantId,
    id: newId(),
    actorType: actor ? (actor.kind === "user" ? "user" : "api_key") : "system",
    actorId: actor ? (actor.kind === "user" ? actor.userId : actor.keyId) : null,
    actorLabel: actor ? (actor.kind === "user" ? actor.email : `key ${actor.prefix}…`) : "system",
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId ?? null,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
  });
}
