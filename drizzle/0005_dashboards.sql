CREATE TABLE "metric_daily" (
	"merchant_id" text NOT NULL,
	"business_date" date NOT NULL,
	"member_spend" bigint NOT NULL,
	"guest_spend" bigint NOT NULL,
	"rights_cost" bigint NOT NULL,
	"points_issued" bigint NOT NULL,
	"points_redeemed" bigint NOT NULL,
	"points_expired" bigint NOT NULL,
	"points_outstanding" bigint NOT NULL,
	"tiers" jsonb NOT NULL,
	"lifecycle_new" integer NOT NULL,
	"lifecycle_active" integer NOT NULL,
	"lifecycle_dormant" integer NOT NULL,
	"lifecycle_lost" integer NOT NULL,
	"rfm" jsonb NOT NULL,
	CONSTRAINT "metric_daily_merchant_id_business_date_pk" PRIMARY KEY("merchant_id","business_date")
);
--> statement-breakpoint
CREATE TABLE "metric_rollup_state" (
	"merchant_id" text PRIMARY KEY NOT NULL,
	"first_date" date NOT NULL,
	"through_date" date NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
