CREATE TABLE "domain_events" (
	"id" bigserial NOT NULL,
	"merchant_id" text NOT NULL,
	"type" text NOT NULL,
	"member_id" text,
	"data" jsonb NOT NULL,
	"source" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"seq" bigint,
	"committed_at" timestamp with time zone,
	CONSTRAINT "domain_events_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "domain_events_seq" UNIQUE("merchant_id","seq")
);
--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "events_cursor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "domain_events_unsequenced" ON "domain_events" USING btree ("merchant_id","id") WHERE seq is null;--> statement-breakpoint
CREATE UNIQUE INDEX "domain_events_hold_expired" ON "domain_events" USING btree ("merchant_id","source") WHERE type = 'hold.expired';--> statement-breakpoint
CREATE INDEX "domain_events_hold_expired_at" ON "domain_events" USING btree ("merchant_id","occurred_at") WHERE type = 'hold.expired';--> statement-breakpoint
CREATE INDEX "holds_open_expiry" ON "holds" USING btree ("merchant_id","expires_at") WHERE status = 'held';