CREATE SEQUENCE "public"."right_code_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 100000 CACHE 1;--> statement-breakpoint
CREATE TABLE "hold_grants" (
	"merchant_id" text NOT NULL,
	"hold_id" text NOT NULL,
	"grant_id" text NOT NULL,
	"discount" bigint NOT NULL,
	CONSTRAINT "hold_grants_merchant_id_hold_id_grant_id_pk" PRIMARY KEY("merchant_id","hold_id","grant_id")
);
--> statement-breakpoint
CREATE TABLE "hold_lots" (
	"merchant_id" text NOT NULL,
	"hold_id" text NOT NULL,
	"member_id" text NOT NULL,
	"lot_id" bigint NOT NULL,
	"points" bigint NOT NULL,
	"returned" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "hold_lots_merchant_id_hold_id_lot_id_pk" PRIMARY KEY("merchant_id","hold_id","lot_id")
);
--> statement-breakpoint
CREATE TABLE "hold_top_ups" (
	"merchant_id" text NOT NULL,
	"hold_id" text NOT NULL,
	"top_up_id" text NOT NULL,
	"principal" bigint NOT NULL,
	"bonus" bigint NOT NULL,
	"principal_returned" bigint DEFAULT 0 NOT NULL,
	"bonus_returned" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "hold_top_ups_merchant_id_hold_id_top_up_id_pk" PRIMARY KEY("merchant_id","hold_id","top_up_id")
);
--> statement-breakpoint
CREATE TABLE "holds" (
	"merchant_id" text NOT NULL,
	"hold_id" text NOT NULL,
	"member_id" text NOT NULL,
	"order_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"points" bigint NOT NULL,
	"points_value" bigint NOT NULL,
	"wallet" bigint NOT NULL,
	"payable" bigint NOT NULL,
	"status" text NOT NULL,
	"body_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"released_by" jsonb,
	CONSTRAINT "holds_merchant_id_hold_id_pk" PRIMARY KEY("merchant_id","hold_id")
);
--> statement-breakpoint
CREATE TABLE "wallet_ledger" (
	"id" bigserial NOT NULL,
	"merchant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"type" text NOT NULL,
	"source" text NOT NULL,
	"principal" bigint NOT NULL,
	"bonus" bigint NOT NULL,
	"principal_after" bigint NOT NULL,
	"bonus_after" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"business_date" date NOT NULL,
	CONSTRAINT "wallet_ledger_merchant_id_member_id_id_pk" PRIMARY KEY("merchant_id","member_id","id"),
	CONSTRAINT "wallet_ledger_source" UNIQUE("merchant_id","source")
);
--> statement-breakpoint
CREATE TABLE "wallet_top_ups" (
	"merchant_id" text NOT NULL,
	"top_up_id" text NOT NULL,
	"member_id" text NOT NULL,
	"principal" bigint NOT NULL,
	"bonus" bigint NOT NULL,
	"principal_left" bigint NOT NULL,
	"bonus_left" bigint NOT NULL,
	"topped_up_at" timestamp with time zone NOT NULL,
	CONSTRAINT "wallet_top_ups_merchant_id_top_up_id_pk" PRIMARY KEY("merchant_id","top_up_id")
);
--> statement-breakpoint
CREATE TABLE "wallets" (
	"merchant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"principal" bigint DEFAULT 0 NOT NULL,
	"bonus" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "wallets_merchant_id_member_id_pk" PRIMARY KEY("merchant_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "program_versions" ADD COLUMN "wallet" jsonb;--> statement-breakpoint
ALTER TABLE "rights" ADD COLUMN "coupon" jsonb;--> statement-breakpoint
ALTER TABLE "right_instances" ADD COLUMN "code" text DEFAULT nextval('right_code_seq')::text || lpad((floor(random() * 1000000))::int::text, 6, '0') NOT NULL;--> statement-breakpoint
ALTER TABLE "right_instances" ADD COLUMN "voided_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "hold_grants_grant" ON "hold_grants" USING btree ("merchant_id","grant_id");--> statement-breakpoint
CREATE INDEX "hold_lots_lot" ON "hold_lots" USING btree ("merchant_id","member_id","lot_id");--> statement-breakpoint
CREATE INDEX "holds_member" ON "holds" USING btree ("merchant_id","member_id","status");--> statement-breakpoint
CREATE INDEX "holds_order" ON "holds" USING btree ("merchant_id","order_id");--> statement-breakpoint
CREATE INDEX "wallet_ledger_date" ON "wallet_ledger" USING btree ("merchant_id","business_date");--> statement-breakpoint
CREATE INDEX "wallet_top_ups_member" ON "wallet_top_ups" USING btree ("merchant_id","member_id","topped_up_at");--> statement-breakpoint
ALTER TABLE "right_instances" ADD CONSTRAINT "right_instances_code" UNIQUE("merchant_id","code");