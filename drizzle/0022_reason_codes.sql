ALTER TABLE "growth_ledger" ADD COLUMN "reason_code" text;--> statement-breakpoint
ALTER TABLE "growth_ledger" ADD COLUMN "reason_params" jsonb;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "reason_code" text;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "reason_params" jsonb;--> statement-breakpoint
ALTER TABLE "tier_history" ADD COLUMN "reason_code" text;--> statement-breakpoint
ALTER TABLE "tier_history" ADD COLUMN "reason_params" jsonb;