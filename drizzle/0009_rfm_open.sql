CREATE TABLE "metric_open_rfm" (
	"merchant_id" text NOT NULL,
	"bucket" text NOT NULL,
	"through_date" date NOT NULL,
	"open_date" date NOT NULL,
	"joint" jsonb NOT NULL,
	"spend" jsonb NOT NULL,
	CONSTRAINT "metric_open_rfm_merchant_id_bucket_pk" PRIMARY KEY("merchant_id","bucket")
);
--> statement-breakpoint
CREATE TABLE "metric_rfm_base_m" (
	"merchant_id" text NOT NULL,
	"bucket" text NOT NULL,
	"spend" bigint NOT NULL,
	"n" integer NOT NULL,
	"below" integer NOT NULL,
	CONSTRAINT "metric_rfm_base_m_merchant_id_bucket_spend_pk" PRIMARY KEY("merchant_id","bucket","spend")
);
--> statement-breakpoint
CREATE TABLE "metric_rfm_base_rf" (
	"merchant_id" text NOT NULL,
	"bucket" text NOT NULL,
	"last_date" date NOT NULL,
	"orders" integer NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "metric_rfm_base_rf_merchant_id_bucket_last_date_orders_pk" PRIMARY KEY("merchant_id","bucket","last_date","orders")
);
--> statement-breakpoint
CREATE TABLE "metric_rfm_base_state" (
	"merchant_id" text PRIMARY KEY NOT NULL,
	"through_date" date NOT NULL
);
--> statement-breakpoint
CREATE INDEX "refunds_member" ON "refunds" USING btree ("merchant_id","member_id","business_date");