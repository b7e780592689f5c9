CREATE TABLE "memberships" (
	"merchant_id" text NOT NULL,
	"purchase_id" text NOT NULL,
	"member_id" text NOT NULL,
	"plan_code" text NOT NULL,
	"months" integer NOT NULL,
	"purchased_at" timestamp with time zone NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"amount" bigint DEFAULT 0 NOT NULL,
	"points" bigint DEFAULT 0 NOT NULL,
	"source" text NOT NULL,
	"business_date" date NOT NULL,
	"refunded_at" timestamp with time zone,
	"refunded_date" date,
	"refunded_amount" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "memberships_merchant_id_purchase_id_pk" PRIMARY KEY("merchant_id","purchase_id")
);
--> statement-breakpoint
ALTER TABLE "program_versions" ADD COLUMN "plans" jsonb;--> statement-breakpoint
CREATE INDEX "memberships_member" ON "memberships" USING btree ("merchant_id","member_id","starts_at");--> statement-breakpoint
CREATE INDEX "memberships_ends" ON "memberships" USING btree ("merchant_id","ends_at");