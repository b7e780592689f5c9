CREATE TABLE "metric_distinct_state" (
	"merchant_id" text PRIMARY KEY NOT NULL,
	"first_date" date NOT NULL,
	"through_date" date NOT NULL,
	"rights_through_date" date NOT NULL,
	"signature" text NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_event_pairs" (
	"merchant_id" text NOT NULL,
	"kind" text NOT NULL,
	"tier" text NOT NULL,
	"a" date NOT NULL,
	"x" date NOT NULL,
	"firsts" integer NOT NULL,
	"repeats" integer NOT NULL,
	CONSTRAINT "metric_event_pairs_merchant_id_kind_tier_a_x_pk" PRIMARY KEY("merchant_id","kind","tier","a","x")
);
--> statement-breakpoint
CREATE TABLE "metric_retention_daily" (
	"merchant_id" text NOT NULL,
	"tier" text NOT NULL,
	"f" date NOT NULL,
	"r" date NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "metric_retention_daily_merchant_id_tier_f_r_pk" PRIMARY KEY("merchant_id","tier","f","r")
);
--> statement-breakpoint
CREATE TABLE "metric_rights_daily" (
	"merchant_id" text NOT NULL,
	"tier" text NOT NULL,
	"issued_date" date NOT NULL,
	"right_code" text NOT NULL,
	"issued" integer NOT NULL,
	"redeemed" integer NOT NULL,
	CONSTRAINT "metric_rights_daily_merchant_id_tier_issued_date_right_code_pk" PRIMARY KEY("merchant_id","tier","issued_date","right_code")
);
--> statement-breakpoint
CREATE TABLE "metric_tier_daily" (
	"merchant_id" text NOT NULL,
	"business_date" date NOT NULL,
	"tier" text NOT NULL,
	"member_spend" bigint NOT NULL,
	"tier_members" integer NOT NULL,
	"registered" integer NOT NULL,
	CONSTRAINT "metric_tier_daily_merchant_id_tier_business_date_pk" PRIMARY KEY("merchant_id","tier","business_date")
);
--> statement-breakpoint
-- rights-usage: instances redeemed after the aggregates' last day ("redeemed by now"), and the
-- refresh's redemptions of a day, without scanning all instances (index-only with the issue day).
CREATE INDEX IF NOT EXISTS "right_instances_redeemed" ON "right_instances" USING btree ("merchant_id","redeemed_date","issued_date","right_code","tier_code") WHERE "redeemed_date" IS NOT NULL;
