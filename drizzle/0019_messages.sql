DROP INDEX "outbox_unsequenced";--> statement-breakpoint
ALTER TABLE "program_versions" ADD COLUMN "messaging" jsonb;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "status" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "held_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "outbox_member" ON "outbox" USING btree ("merchant_id","member_id","created_at");--> statement-breakpoint
CREATE INDEX "outbox_unsequenced" ON "outbox" USING btree ("merchant_id","id") WHERE seq is null and status is distinct from 'capped';