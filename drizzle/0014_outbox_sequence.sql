ALTER TABLE "outbox" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "committed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "outbox_unsequenced" ON "outbox" USING btree ("merchant_id","id") WHERE seq is null;--> statement-breakpoint
CREATE INDEX "outbox_created" ON "outbox" USING btree ("merchant_id","created_at");--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_seq" UNIQUE("merchant_id","seq");