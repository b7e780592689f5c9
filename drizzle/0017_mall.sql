CREATE TABLE "mall_items" (
	"merchant_id" text NOT NULL,
	"item_id" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"kind" text NOT NULL,
	"right_code" text,
	"plan_code" text,
	"points" bigint NOT NULL,
	"cash" bigint DEFAULT 0 NOT NULL,
	"unit_cost" bigint DEFAULT 0 NOT NULL,
	"stock" integer,
	"per_member_limit" jsonb,
	"tiers" jsonb,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"description" text,
	"image_url" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mall_items_merchant_id_item_id_pk" PRIMARY KEY("merchant_id","item_id")
);
--> statement-breakpoint
CREATE TABLE "mall_order_lots" (
	"merchant_id" text NOT NULL,
	"order_id" text NOT NULL,
	"member_id" text NOT NULL,
	"lot_id" bigint NOT NULL,
	"points" bigint NOT NULL,
	CONSTRAINT "mall_order_lots_merchant_id_order_id_lot_id_pk" PRIMARY KEY("merchant_id","order_id","lot_id")
);
--> statement-breakpoint
CREATE TABLE "mall_orders" (
	"merchant_id" text NOT NULL,
	"order_id" text NOT NULL,
	"member_id" text NOT NULL,
	"item_id" text NOT NULL,
	"kind" text NOT NULL,
	"quantity" integer NOT NULL,
	"points" bigint NOT NULL,
	"cash" bigint NOT NULL,
	"unit_cost" bigint NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"grant_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"body_hash" text NOT NULL,
	"business_date" date NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"fulfilled_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancelled_date" date,
	"placed_by" text,
	CONSTRAINT "mall_orders_merchant_id_order_id_pk" PRIMARY KEY("merchant_id","order_id")
);
--> statement-breakpoint
CREATE INDEX "mall_orders_member_item" ON "mall_orders" USING btree ("merchant_id","member_id","item_id","business_date");--> statement-breakpoint
CREATE INDEX "mall_orders_date" ON "mall_orders" USING btree ("merchant_id","business_date");--> statement-breakpoint
CREATE INDEX "mall_orders_cancelled" ON "mall_orders" USING btree ("merchant_id","cancelled_date");