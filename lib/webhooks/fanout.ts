import { and, eq, isNull, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { webhookEndpoints } from "@/db/schema";
import type { JobHandler } from "@/lib/jobs/runner";
import { sequenceOutbox } from "@/lib/outbox/sequence";
import { createDelivery } from "./deliveries";
import { recordLapsedHolds, sequenceDomainEvents } from "./domain-events";

export const FANOUT_KIND = "webhook.fanout";
const FANOUT_KEY = "webhooks:fanout";
const BATCH = 500;
/** How often the feed is looked at while a merchant has endpoints (the lag from commit to delivery is about this). */
export const FANOUT_EVERY_MS = 1_000;

/** Starts (or restarts) the merchant's fan-out job. */
export async function ensureFanout(db: Db, merchantId: string, now: Date) {
  await db.execute(sql`insert into jobs (merchant_id, kind, key, run_at, max_attempts)
    values (${merchantId}, ${FANOUT_KIND}, ${FANOUT_KEY}, ${now.toISOString()}::timestamptz, 1000000)
    on conflict (merchant_id, key) do update set state = 'queued', run_at = excluded.run_at, attempts = 0, finished_at = null
    where jobs.state in ('done', 'parked')`);
}

/**
 * Turns the outbox's new messages into `message.queued` deliveries and the domain events (every
 * other type: lib/webhooks/domain-events.ts) into deliveries of their type, per enabled endpoint that
 * takes them: the deliveries and the endpoint's new cursor are written in one transaction, so each
 * message or event is queued once per endpoint, and only ones already committed are ever sent.
 * Recurs every second while the merchant has an enabled endpoint; ends when it has none.
 */
export const fanoutHandler: JobHandler = {
  async run(job, { db, now }) {
    const endpoints = await db
      .select({ id: webhookEndpoints.id, types: webhookEndpoints.types })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.merchantId, job.merchantId), eq(webhookEndpoints.enabled, true), isNull(webhookEndpoints.deletedAt)));
    if (!endpoints.length) return;
    await sequenceOutbox(db, job.merchantId);
    if (endpoints.some((e) => e.types.includes("hold.expired"))) await recordLapsedHolds(db, job.merchantId, now());
    await sequenceDomainEvents(db, job.merchantId);
    let full = false;
    for (const ep of endpoints) {
      if (ep.types.includes("message.queued")) full = (await fanOutTo(db, job.merchantId, ep.id, now())) || full;
      const types = ep.types.filter((t) => t !== "message.queued");
      if (types.length) full = (await fanOutEventsTo(db, job.merchantId, ep.id, types, now())) || full;
    }
    return { again: new Date(now().getTime() + (full ? 0 : FANOUT_EVERY_MS)) };
  },
};

/** One batch of domain events of the endpoint's types for one endpoint; true when there may be more. */
async function fanOutEventsTo(db: Db, merchantId: string, endpointId: string, types: string[], now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [ep] = await queryRows<{ events_cursor: string | number }>(
      tx,
      sql`select events_cursor from webhook_endpoints where merchant_id = ${merchantId} and id = ${endpointId} for update`,
    );
    const rows = await queryRows<{ type: string; data: unknown; seq: string | number; committed_at: string | Date }>(
      tx,
      sql`select type, data, seq, committed_at from domain_events
          where merchant_id = ${merchantId} and seq > ${Number(ep.events_cursor)} and type in (select jsonb_array_elements_text(${JSON.stringify(types)}::jsonb))
          order by seq limit ${BATCH}`,
    );
    const parsed = rows.map((r) => ({ ...r, data: (typeof r.data === "string" ? JSON.parse(r.data) : r.data) as Record<string, unknown> }));
    // A right issued by an engine batch got its redemption code from the database after the event was built.
    const missing = parsed.filter((r) => r.type === "right.issued" && !r.data.code).map((r) => String(r.data.grantId));
    if (missing.length) {
      const codes = new Map(
        (
          await queryRows<{ grant_id: string; code: string }>(
            tx,
            sql`select grant_id, code from right_instances where merchant_id = ${merchantId} and grant_id in (select jsonb_array_elements_text(${JSON.stringify(missing)}::jsonb))`,
          )
        ).map((x) => [x.grant_id, x.code]),
      );
      for (const r of parsed) if (r.type === "right.issued" && !r.data.code) r.data.code = codes.get(String(r.data.grantId)) ?? null;
    }
    for (const r of parsed)
      await createDelivery(tx, { merchantId, endpointId, type: r.type, source: `event:${r.seq}`, timestamp: new Date(r.committed_at), data: r.data }, now);
    if (rows.length) await tx.update(webhookEndpoints).set({ eventsCursor: Number(rows[rows.length - 1].seq) }).where(and(eq(webhookEndpoints.merchantId, merchantId), eq(webhookEndpoints.id, endpointId)));
    return rows.length === BATCH;
  });
}

/** One batch for one endpoint; true when there may be more. */
async function fanOutTo(db: Db, merchantId: string, endpointId: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [ep] = await queryRows<{ outbox_cursor: string | number }>(
      tx,
      sql`select outbox_cursor from webhook_endpoints where merchant_id = ${merchantId} and id = ${endpointId} for update`,
    );
    const rows = await queryRows<{ id: string | number; member_id: string; template: string; payload: unknown; seq: string | number; committed_at: string | Date }>(
      tx,
      sql`select id, member_id, template, payload, seq, committed_at from outbox
          where merchant_id = ${merchantId} and seq > ${Number(ep.outbox_cursor)} order by seq limit ${BATCH}`,
    );
    for (const r of rows) {
      const at = new Date(r.committed_at);
      const payload = typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload;
      await createDelivery(
        tx,
        { merchantId, endpointId, type: "message.queued", source: `outbox:${r.seq}`, timestamp: at, data: { id: String(r.id), memberId: r.member_id, template: r.template, payload, createdAt: at.toISOString() } },
        now,
      );
    }
    if (rows.length) await tx.update(webhookEndpoints).set({ outboxCursor: Number(rows[rows.length - 1].seq) }).where(and(eq(webhookEndpoints.merchantId, merchantId), eq(webhookEndpoints.id, endpointId)));
    return rows.length === BATCH;
  });
}
