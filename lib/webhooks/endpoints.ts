import { randomBytes } from "node:crypto";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { webhookEndpoints } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { AppError, validationError } from "@/lib/errors";
import { sequenceOutbox } from "@/lib/outbox/sequence";
import { webhookInput, type WebhookInput } from "@/lib/schemas/webhooks";
import { newId } from "@/lib/util/ids";
import { createDelivery } from "./deliveries";
import { domainEventsEnd, sequenceDomainEvents } from "./domain-events";
import { ensureFanout } from "./fanout";
import { assertPublicUrlOrThrow } from "./url-check";

/**
 * Registers an endpoint and answers its secret (the only time it is shown). It receives what is
 * queued from now on: its outbox and domain-event cursors start at the feeds' current ends.
 */
export async function createWebhookEndpoint(db: Db, merchantId: string, input: WebhookInput | unknown, actor: Actor | null, now = new Date()) {
  const parsed = webhookInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  await assertPublicUrlOrThrow(parsed.data.url);
  await sequenceOutbox(db, merchantId);
  await sequenceDomainEvents(db, merchantId);
  const id = `ep_${newId().replace(/-/g, "")}`;
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const { url, types, description } = parsed.data;
  await db.transaction(async (tx) => {
    const [{ end }] = await queryRows<{ end: string | number }>(tx, sql`select coalesce(max(seq), 0) as end from outbox where merchant_id = ${merchantId}`);
    const eventsCursor = await domainEventsEnd(tx, merchantId);
    await tx.insert(webhookEndpoints).values({ merchantId, id, url, types, description: description ?? null, secret, outboxCursor: Number(end), eventsCursor });
    await writeAudit(tx, actor, { merchantId, action: "webhook.create", entity: "webhook_endpoint", entityId: id, after: { url, types, description } });
    await ensureFanout(tx, merchantId, now);
  });
  return { id, url, types: [...types], secret };
}

export type WebhookEndpointView = { id: string; url: string; types: string[]; description: string | null; enabled: boolean; createdAt: string; disabledReason: string | null };

export async function listWebhookEndpoints(db: Db, merchantId: string): Promise<WebhookEndpointView[]> {
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.merchantId, merchantId), isNull(webhookEndpoints.deletedAt)))
    .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
  return rows.map((r) => ({ id: r.id, url: r.url, types: r.types, description: r.description, enabled: r.enabled, createdAt: r.createdAt.toISOString(), disabledReason: r.disabledReason }));
}

async function liveEndpointOrThrow(db: Db, merchantId: string, id: string) {
  const [ep] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.merchantId, merchantId), eq(webhookEndpoints.id, id), isNull(webhookEndpoints.deletedAt)));
  if (!ep) throw new AppError("not_found", "no such webhook endpoint");
  return ep;
}

/** Removes an endpoint: nothing more is sent to it (its log is kept). */
export async function deleteWebhookEndpoint(db: Db, merchantId: string, id: string, actor: Actor | null) {
  await db.transaction(async (tx) => {
    const ep = await liveEndpointOrThrow(tx, merchantId, id);
    await tx.update(webhookEndpoints).set({ deletedAt: new Date(), enabled: false }).where(and(eq(webhookEndpoints.merchantId, merchantId), eq(webhookEndpoints.id, id)));
    await writeAudit(tx, actor, { merchantId, action: "webhook.delete", entity: "webhook_endpoint", entityId: id, before: { url: ep.url, types: ep.types } });
  });
  return { id };
}

/** Pauses or resumes an endpoint; while paused, nothing is queued for it (it resumes from where it stood). */
export async function setWebhookEndpointEnabled(db: Db, merchantId: string, id: string, enabled: boolean, actor: Actor | null, now = new Date()) {
  await db.transaction(async (tx) => {
    const ep = await liveEndpointOrThrow(tx, merchantId, id);
    // Enabled again by an owner: a fresh start, nothing failing yet.
    await tx
      .update(webhookEndpoints)
      .set(enabled ? { enabled, disabledReason: null, failingSince: null } : { enabled })
      .where(and(eq(webhookEndpoints.merchantId, merchantId), eq(webhookEndpoints.id, id)));
    await writeAudit(tx, actor, { merchantId, action: enabled ? "webhook.enable" : "webhook.disable", entity: "webhook_endpoint", entityId: id, before: { enabled: ep.enabled }, after: { enabled } });
    if (enabled) await ensureFanout(tx, merchantId, now);
  });
  return { id, enabled };
}

/** Queues a `webhook.ping` to an endpoint, whatever its types: to check the URL and the signature. */
export async function sendTestPing(db: Db, merchantId: string, id: string, now = new Date()) {
  const ep = await liveEndpointOrThrow(db, merchantId, id);
  const deliveryId = await db.transaction((tx) =>
    createDelivery(tx, { merchantId, endpointId: ep.id, type: "webhook.ping", source: `ping:${now.getTime()}`, timestamp: now, data: { endpointId: ep.id, message: "test ping" } }, now),
  );
  return { deliveryId };
}
