-- metric_daily gains a tier dimension ('' = all members). Rows written before it hold no per-tier
-- figures: drop the rollups (derived data), the next refreshDailyAggregates rebuilds them set-based.
DELETE FROM "metric_rollup_state";--> statement-breakpoint
DELETE FROM "metric_daily";--> statement-breakpoint
ALTER TABLE "metric_daily" DROP CONSTRAINT "metric_daily_merchant_id_business_date_pk";--> statement-breakpoint
ALTER TABLE "metric_daily" ALTER COLUMN "rfm" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "metric_daily" ADD COLUMN "tier" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "metric_daily" ADD CONSTRAINT "metric_daily_merchant_id_business_date_tier_pk" PRIMARY KEY("merchant_id","business_date","tier");
