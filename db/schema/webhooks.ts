import { sql } from "drizzle-orm";
import { pgTable, text, timestamp, integer, bigint, bigserial, jsonb, boolean, primaryKey, unique, uniqueIndex, index } from "drizzle-orm/pg-core";
import { merchants } from "./tenancy";

const tz = (name: string) => timestamp(name, { withTimezone: true });

/** A shop's webhook endpoint: where signed events go, and which types. */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    merchantId: text("merchant_id").notNull().references(() => merchants.id),
    id: text("id").notNull(),
    url: text("url").notNull(),
    types: jsonb("types").$type<string[]>().notNull(),
    description: text("description"),
    /** `whsec_…`: signs every delivery; shown to the owner once, when the endpoint is made. */
    secret: text("secret").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    /** The outbox position up to which messages have been turned into deliveries for this endpoint. */
    outboxCursor: bigint("outbox_cursor", { mode: "number" }).notNull().default(0),
    /** The domain-event position up to which events have been turned into deliveries for this endpoint. */
    eventsCursor: bigint("events_cursor", { mode: "number" }).notNull().default(0),
    createdAt: tz("created_at").notNull().defaultNow(),
    deletedAt: tz("deleted_at"),
    /** Since when every attempt has failed (none since a delivery went through). */
    failingSince: tz("failing_since"),
    /** Set when the app disabled the endpoint itself (it failed for days); shown as a banner. */
    disabledReason: text("disabled_reason"),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.id] })],
);

export const deliveryStates = ["pending", "delivered", "failed"] as const;

/** One event for one endpoint, sent and retried as a job of the queue; kept for the log and re-sending. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    merchantId: text("merchant_id").notNull().references(() => merchants.id),
    /** The `webhook-id` header: the same on every attempt, so a receiver can drop repeats. */
    id: text("id").notNull(),
    endpointId: text("endpoint_id").notNull(),
    type: text("type").notNull(),
    /** What it carries (`outbox:<position>`, `ping:<time>`): one delivery per endpoint and source. */
    source: text("source").notNull(),
    /** The body sent: `{ type, timestamp, data }`. */
    body: jsonb("body").notNull(),
    state: text("state", { enum: deliveryStates }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatus: integer("last_status"),
    /** The first bytes of the last answer, or why there was none. */
    lastResponse: text("last_response"),
    lastDurationMs: integer("last_duration_ms"),
    lastAttemptAt: tz("last_attempt_at"),
    createdAt: tz("created_at").notNull().defaultNow(),
    deliveredAt: tz("delivered_at"),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    unique("webhook_deliveries_source").on(t.merchantId, t.endpointId, t.source),
    index("webhook_deliveries_endpoint").on(t.merchantId, t.endpointId, t.createdAt),
  ],
);

/**
 * Changes the shop may be told about by webhook (every type of api.md but `message.queued`, which
 * comes from the outbox): written in the transaction of the change itself, and only while the
 * merchant has an endpoint subscribed to the type (lib/webhooks/domain-events.ts). Not the outbox:
 * the outbox is the shop's feed of messages to send, this feeds webhooks only.
 */
export const domainEvents = pgTable(
  "domain_events",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    merchantId: text("merchant_id").notNull(),
    type: text("type").notNull(),
    memberId: text("member_id"),
    /** The webhook body's `data` (docs/webhooks.md). */
    data: jsonb("data").notNull(),
    /** What caused it, where a repeat must be dropped (a lapsed hold is noticed once). */
    source: text("source"),
    /** When the change happened (the event's time for engine events). */
    occurredAt: tz("occurred_at").notNull(),
    /** Its place in the feed, given once it is committed (as the outbox's: lib/webhooks/domain-events.ts). */
    seq: bigint("seq", { mode: "number" }),
    committedAt: tz("committed_at"),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    unique("domain_events_seq").on(t.merchantId, t.seq),
    index("domain_events_unsequenced").on(t.merchantId, t.id).where(sql`seq is null`),
    uniqueIndex("domain_events_hold_expired").on(t.merchantId, t.source).where(sql`type = 'hold.expired'`),
    index("domain_events_hold_expired_at").on(t.merchantId, t.occurredAt).where(sql`type = 'hold.expired'`),
  ],
);
