CREATE TABLE "metric_open_contrib" (
	"merchant_id" text NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"bucket" text NOT NULL,
	"d" date NOT NULL,
	"v" date NOT NULL,
	"k" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "metric_open_contrib_merchant_id_key_kind_bucket_d_v_k_pk" PRIMARY KEY("merchant_id","key","kind","bucket","d","v","k")
);
--> statement-breakpoint
CREATE TABLE "metric_open_log" (
	"merchant_id" text NOT NULL,
	"id" bigserial NOT NULL,
	"keys" jsonb NOT NULL,
	CONSTRAINT "metric_open_log_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "metric_open_state" (
	"merchant_id" text PRIMARY KEY NOT NULL,
	"through_date" date NOT NULL,
	"open_date" date NOT NULL,
	"signature" text NOT NULL,
	"ready" boolean NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_open_sums" (
	"merchant_id" text NOT NULL,
	"kind" text NOT NULL,
	"bucket" text NOT NULL,
	"d" date NOT NULL,
	"v" date NOT NULL,
	"k" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "metric_open_sums_merchant_id_kind_bucket_d_v_k_pk" PRIMARY KEY("merchant_id","kind","bucket","d","v","k")
);
