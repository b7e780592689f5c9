import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { queryRows, type Db } from "@/db/client";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/audit";
import { randomToken } from "@/lib/util/ids";
import { enqueueJob } from "@/lib/jobs/queue";
import type { JobHandler } from "@/lib/jobs/runner";
import { assertPublicUrlOrThrow } from "./url-check";

export const DELIVER_KIND = "webhook.deliver";
/** api.md: a failed delivery is retried after about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then marked failed. */
export const retryDelaysMs = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
export const DELIVERY_ATTEMPTS = retryDelaysMs.length + 1;
export const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * A delivery of one event to one endpoint, and the job that sends it; nothing when the endpoint
 * already has one for this source. Call inside the transaction that decides to send it.
 */
export async function createDelivery(
  db: Db,
  d: { merchantId: string; endpointId: string; type: string; source: string; timestamp: Date; data: Record<string, unknown> },
  now = new Date(),
): Promise<string | null> {
  const id = `msg_${randomToken(18)}`;
  const body = { type: d.type, timestamp: d.timestamp.toISOString(), data: d.data };
  const rows = await queryRows(
    db,
    sql`insert into webhook_deliveries (merchant_id, id, endpoint_id, type, source, body)
        values (${d.merchantId}, ${id}, ${d.endpointId}, ${d.type}, ${d.source}, ${JSON.stringify(body)}::jsonb)
        on conflict (merchant_id, endpoint_id, source) do nothing returning id`,
  );
  if (!rows.length) return null;
  await enqueueJob(db, { merchantId: d.merchantId, kind: DELIVER_KIND, key: `webhook:${id}`, payload: { deliveryId: id }, maxAttempts: DELIVERY_ATTEMPTS }, now);
  return id;
}

/** Sends a delivery once more (from the log), with a fresh round of retries. */
export async function resendDelivery(db: Db, merchantId: string, deliveryId: string, now = new Date()) {
  return db.transaction(async (tx) => {
    const [d] = await tx.update(webhookDeliveries).set({ state: "pending" }).where(and(eq(webhookDeliveries.merchantId, merchantId), eq(webhookDeliveries.id, deliveryId))).returning();
    if (!d) throw new AppError("not_found", "no such delivery");
    await enqueueJob(tx, { merchantId, kind: DELIVER_KIND, key: `webhook:${deliveryId}:resend:${now.getTime()}`, payload: { deliveryId }, maxAttempts: DELIVERY_ATTEMPTS }, now);
    return { id: deliveryId };
  });
}

/** The delivery log of an endpoint, newest first. */
export async function listDeliveries(db: Db, merchantId: string, endpointId: string, limit = 50) {
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.merchantId, merchantId), eq(webhookDeliveries.endpointId, endpointId)))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit);
}

/** Sends one delivery: signed per Standard Webhooks; a non-2xx answer or none in 10 s throws (the queue retries). */
export const deliverHandler: JobHandler = {
  backoffMs: (attempt) => retryDelaysMs[Math.min(attempt, retryDelaysMs.length) - 1],
  async run(job, { db, now, signal }) {
    const deliveryId = String(job.payload.deliveryId);
    const where = and(eq(webhookDeliveries.merchantId, job.merchantId), eq(webhookDeliveries.id, deliveryId));
    const [d] = await db.select().from(webhookDeliveries).where(where);
    if (!d || d.state === "delivered") return;
    const [ep] = await db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.merchantId, job.merchantId), eq(webhookEndpoints.id, d.endpointId)));
    if (!ep || ep.deletedAt || !ep.enabled) {
      await db.update(webhookDeliveries).set({ state: "failed", lastResponse: "the endpoint is disabled or removed" }).where(where);
      return;
    }
    const last = job.attempt >= job.maxAttempts;
    const record = async (r: { status: number | null; response: string; ms: number; ok: boolean }) =>
      db
        .update(webhookDeliveries)
        .set({
          attempts: sql`${webhookDeliveries.attempts} + 1`,
          lastStatus: r.status,
          lastResponse: r.response.slice(0, 500),
          lastDurationMs: r.ms,
          lastAttemptAt: new Date(),
          state: r.ok ? "delivered" : last ? "failed" : "pending",
          deliveredAt: r.ok ? new Date() : null,
        })
        .where(where);
    const started = Date.now();
    let status: number | null = null;
    let response: string;
    try {
      const url = await assertPublicUrlOrThrow(ep.url);
      const body = JSON.stringify(d.body);
      const at = new Date();
      const res = await fetch(url, {
        method: "POST",
        redirect: "manual",
        // Stopping the server ends the attempt at once (it is retried after its backoff, with the same webhook-id).
        signal: AbortSignal.any([AbortSignal.timeout(DELIVERY_TIMEOUT_MS), signal]),
        headers: {
          "content-type": "application/json",
          "user-agent": "member-console-webhooks/1",
          "webhook-id": d.id,
          "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
          "webhook-signature": new Webhook(ep.secret).sign(d.id, at, body),
        },
        body,
      });
      status = res.status;
      response = (await res.text().catch(() => "")).slice(0, 500);
    } catch (e) {
      const name = (e as Error).name;
      response = e instanceof AppError ? e.message : `no answer: ${name === "TimeoutError" ? "timed out after 10 s" : name === "AbortError" ? "the server was stopping" : (e as Error).message}`;
    }
    const ok = status !== null && status >= 200 && status < 300;
    await record({ status, response, ms: Date.now() - started, ok });
    await trackHealth(db, ep, ok, last, now());
    if (!ok) throw new Error(status === null ? response : `answered ${status}`);
  },
};

/** An endpoint whose every attempt has failed for this long is disabled when a delivery fails for good. */
export const DISABLE_AFTER_MS = 5 * 86_400_000;

/**
 * Keeps when an endpoint started failing; when a delivery to it fails for good and it has failed
 * for 5 days, disables it (with an audit row and a reason the webhooks page shows as a banner).
 */
async function trackHealth(db: Db, ep: typeof webhookEndpoints.$inferSelect, ok: boolean, last: boolean, now: Date) {
  const at = and(eq(webhookEndpoints.merchantId, ep.merchantId), eq(webhookEndpoints.id, ep.id));
  if (ok) {
    if (ep.failingSince) await db.update(webhookEndpoints).set({ failingSince: null }).where(at);
    return;
  }
  const since = ep.failingSince ?? now;
  if (!ep.failingSince) await db.update(webhookEndpoints).set({ failingSince: now }).where(and(at, isNull(webhookEndpoints.failingSince)));
  if (!last || now.getTime() - since.getTime() < DISABLE_AFTER_MS) return;
  const reason = `every delivery has failed since ${since.toISOString()}`;
  await db.transaction(async (tx) => {
    const [changed] = await tx.update(webhookEndpoints).set({ enabled: false, disabledReason: reason }).where(and(at, eq(webhookEndpoints.enabled, true))).returning({ id: webhookEndpoints.id });
    if (changed)
      await writeAudit(tx, null, { merchantId: ep.merchantId, action: "webhook.auto_disable", entity: "webhook_endpoint", entityId: ep.id, before: { enabled: true }, after: { enabled: false, reason } });
  });
}
