import { and, eq, isNull, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { webhookEndpoints } from "@/db/schema";
import type { JobHandler } from "@/lib/jobs/runner";
import { sequenceOutbox } from "@/lib/outbox/sequence";
import { createDelivery } from "./deliveries";

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
 * Turns the outbox's new messages into `message.queued` deliveries, per enabled endpoint that takes
 * them: the deliveries and the endpoint's new cursor are written in one transaction, so each
 * message is queued once per endpoint, and only messages already committed are ever sent.
 * Recurs every second while the merchant has such an endpoint; ends when it has none.
 */
export const fanoutHandler: JobHandler = {
  async run(job, { db, now }) {
    await sequenceOutbox(db, job.merchantId);
    const endpoints = await db
      .select({ id: webhookEndpoints.id, types: webhookEndpoints.types })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.merchantId, job.merchantId), eq(webhookEndpoints.enabled, true), isNull(webhookEndpoints.deletedAt)));
    const taking = endpoints.filter((e) => e.types.includes("message.queued"));
    if (!taking.length) return;
    let full = false;
    for (const ep of taking) full = (await fanOutTo(db, job.merchantId, ep.id, now())) || full;
    return { again: new Date(now().getTime() + (full ? 0 : FANOUT_EVERY_MS)) };
  },
};

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
