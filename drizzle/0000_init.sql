CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash"),
	CONSTRAINT "api_keys_merchant_id_id" UNIQUE("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"actor_label" text,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"before" text,
	"after" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_log_pk" UNIQUE("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "merchants" (
	"id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merchants_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"password_hash" text NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_merchant_id_id" UNIQUE("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "automations" (
	"merchant_id" text NOT NULL,
	"version" integer NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"trigger" jsonb NOT NULL,
	"actions" jsonb NOT NULL,
	"cooldown_days" integer,
	"enabled" boolean DEFAULT true NOT NULL,
	CONSTRAINT "automations_merchant_id_version_code_pk" PRIMARY KEY("merchant_id","version","code")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"merchant_id" text NOT NULL,
	"version" integer NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"schedule" jsonb NOT NULL,
	"target_tiers" jsonb NOT NULL,
	"effect" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	CONSTRAINT "campaigns_merchant_id_version_code_pk" PRIMARY KEY("merchant_id","version","code")
);
--> statement-breakpoint
CREATE TABLE "matrix_cells" (
	"merchant_id" text NOT NULL,
	"version" integer NOT NULL,
	"tier_code" text NOT NULL,
	"right_code" text NOT NULL,
	"value" text,
	"quantity" integer NOT NULL,
	"unit_cost" bigint,
	CONSTRAINT "matrix_cells_merchant_id_version_tier_code_right_code_pk" PRIMARY KEY("merchant_id","version","tier_code","right_code")
);
--> statement-breakpoint
CREATE TABLE "program_versions" (
	"merchant_id" text NOT NULL,
	"version" integer NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"time_zone" text NOT NULL,
	"tier_mode" text DEFAULT 'any' NOT NULL,
	"retention" jsonb NOT NULL,
	"trial" jsonb,
	"points_rules" jsonb NOT NULL,
	"growth_rules" jsonb NOT NULL,
	"lifecycle" jsonb NOT NULL,
	"costs" jsonb NOT NULL,
	"created_by" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "program_versions_merchant_id_version_pk" PRIMARY KEY("merchant_id","version")
);
--> statement-breakpoint
CREATE TABLE "rights" (
	"merchant_id" text NOT NULL,
	"version" integer NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"kind" text NOT NULL,
	"cadence" text NOT NULL,
	"group" text DEFAULT 'tier' NOT NULL,
	"unit_cost" bigint NOT NULL,
	"face_value" bigint,
	"validity_days" integer,
	CONSTRAINT "rights_merchant_id_version_code_pk" PRIMARY KEY("merchant_id","version","code")
);
--> statement-breakpoint
CREATE TABLE "tiers" (
	"merchant_id" text NOT NULL,
	"version" integer NOT NULL,
	"code" text NOT NULL,
	"rank" integer NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"color" text NOT NULL,
	"thresholds" jsonb NOT NULL,
	"threshold_mode" text DEFAULT 'any' NOT NULL,
	"points_multiplier_pct" integer DEFAULT 100 NOT NULL,
	CONSTRAINT "tiers_merchant_id_version_code_pk" PRIMARY KEY("merchant_id","version","code")
);
--> statement-breakpoint
CREATE TABLE "automation_firings" (
	"merchant_id" text NOT NULL,
	"automation_code" text NOT NULL,
	"member_id" text NOT NULL,
	"occasion" text NOT NULL,
	"fired_at" timestamp with time zone NOT NULL,
	"fired_date" date NOT NULL,
	CONSTRAINT "automation_firings_merchant_id_automation_code_member_id_occasion_pk" PRIMARY KEY("merchant_id","automation_code","member_id","occasion")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"merchant_id" text NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"member_id" text,
	"body_hash" text NOT NULL,
	"payload" jsonb NOT NULL,
	"program_version" integer NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_merchant_id_event_id_pk" PRIMARY KEY("merchant_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "growth_ledger" (
	"id" bigserial NOT NULL,
	"merchant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"delta" bigint NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"rule" text,
	"reason" text NOT NULL,
	"program_version" integer,
	"occurred_at" timestamp with time zone NOT NULL,
	"business_date" date NOT NULL,
	CONSTRAINT "growth_ledger_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "growth_ledger_source" UNIQUE("merchant_id","source")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"merchant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"name" text,
	"phone" text,
	"birthday" date,
	"referrer_id" text,
	"registered_at" timestamp with time zone NOT NULL,
	"tier_code" text NOT NULL,
	"tier_since" timestamp with time zone NOT NULL,
	"manual_tier_code" text,
	"trial_until" timestamp with time zone,
	"growth" bigint DEFAULT 0 NOT NULL,
	"points_balance" bigint DEFAULT 0 NOT NULL,
	"points_debt" bigint DEFAULT 0 NOT NULL,
	"lifetime_spend" bigint DEFAULT 0 NOT NULL,
	"order_count" integer DEFAULT 0 NOT NULL,
	"last_order_at" timestamp with time zone,
	"last_checkin_date" date,
	"checkin_streak" integer DEFAULT 0 NOT NULL,
	"lifecycle" text DEFAULT 'new' NOT NULL,
	"rfm_r" smallint DEFAULT 1 NOT NULL,
	"rfm_f" smallint DEFAULT 1 NOT NULL,
	"rfm_m" smallint DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "members_merchant_id_member_id_pk" PRIMARY KEY("merchant_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"merchant_id" text NOT NULL,
	"order_id" text NOT NULL,
	"member_id" text,
	"event_id" text NOT NULL,
	"paid_at" timestamp with time zone NOT NULL,
	"business_date" date NOT NULL,
	"amount" bigint NOT NULL,
	"member_discount" bigint DEFAULT 0 NOT NULL,
	"refunded_amount" bigint DEFAULT 0 NOT NULL,
	"points_earned" bigint DEFAULT 0 NOT NULL,
	"growth_earned" bigint DEFAULT 0 NOT NULL,
	"points_clawed" bigint DEFAULT 0 NOT NULL,
	"growth_clawed" bigint DEFAULT 0 NOT NULL,
	"tier_at_order" text,
	CONSTRAINT "orders_merchant_id_order_id_pk" PRIMARY KEY("merchant_id","order_id")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial NOT NULL,
	"merchant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"template" text NOT NULL,
	"payload" jsonb NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "outbox_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "outbox_source" UNIQUE("merchant_id","source")
);
--> statement-breakpoint
CREATE TABLE "period_runs" (
	"merchant_id" text NOT NULL,
	"business_date" date NOT NULL,
	"ran_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "period_runs_merchant_id_business_date_pk" PRIMARY KEY("merchant_id","business_date")
);
--> statement-breakpoint
CREATE TABLE "points_ledger" (
	"id" bigserial NOT NULL,
	"merchant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"delta" bigint NOT NULL,
	"debt_delta" bigint DEFAULT 0 NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"rule" text,
	"reason" text NOT NULL,
	"program_version" integer,
	"occurred_at" timestamp with time zone NOT NULL,
	"business_date" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "points_ledger_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "points_ledger_source" UNIQUE("merchant_id","source")
);
--> statement-breakpoint
CREATE TABLE "points_lots" (
	"id" bigserial NOT NULL,
	"merchant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"source" text NOT NULL,
	"earned_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"amount" bigint NOT NULL,
	"remaining" bigint NOT NULL,
	CONSTRAINT "points_lots_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "points_lots_source" UNIQUE("merchant_id","source")
);
--> statement-breakpoint
CREATE TABLE "redemptions" (
	"merchant_id" text NOT NULL,
	"redemption_id" text NOT NULL,
	"member_id" text NOT NULL,
	"points" bigint NOT NULL,
	"reason" text NOT NULL,
	"body_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "redemptions_merchant_id_redemption_id_pk" PRIMARY KEY("merchant_id","redemption_id")
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"merchant_id" text NOT NULL,
	"event_id" text NOT NULL,
	"order_id" text NOT NULL,
	"member_id" text,
	"refunded_at" timestamp with time zone NOT NULL,
	"business_date" date NOT NULL,
	"amount" bigint NOT NULL,
	CONSTRAINT "refunds_merchant_id_event_id_pk" PRIMARY KEY("merchant_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "right_instances" (
	"merchant_id" text NOT NULL,
	"grant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"right_code" text NOT NULL,
	"tier_code" text,
	"value" text,
	"unit_cost" bigint NOT NULL,
	"source" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"issued_date" date NOT NULL,
	"expires_at" timestamp with time zone,
	"redeemed_at" timestamp with time zone,
	"redeemed_date" date,
	CONSTRAINT "right_instances_merchant_id_grant_id_pk" PRIMARY KEY("merchant_id","grant_id"),
	CONSTRAINT "right_instances_source" UNIQUE("merchant_id","source")
);
--> statement-breakpoint
CREATE TABLE "tier_history" (
	"id" bigserial NOT NULL,
	"merchant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"from_tier" text,
	"to_tier" text NOT NULL,
	"direction" text NOT NULL,
	"reason" text NOT NULL,
	"source" text NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	"business_date" date NOT NULL,
	CONSTRAINT "tier_history_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "tier_history_source" UNIQUE("merchant_id","source")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_versions" ADD CONSTRAINT "program_versions_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_merchant" ON "api_keys" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "audit_log_at" ON "audit_log" USING btree ("merchant_id","at");--> statement-breakpoint
CREATE INDEX "program_versions_eff" ON "program_versions" USING btree ("merchant_id","effective_from");--> statement-breakpoint
CREATE INDEX "automation_firings_member" ON "automation_firings" USING btree ("merchant_id","member_id","fired_at");--> statement-breakpoint
CREATE INDEX "events_member" ON "events" USING btree ("merchant_id","member_id","occurred_at");--> statement-breakpoint
CREATE INDEX "growth_ledger_member" ON "growth_ledger" USING btree ("merchant_id","member_id","id");--> statement-breakpoint
CREATE INDEX "members_phone" ON "members" USING btree ("merchant_id","phone");--> statement-breakpoint
CREATE INDEX "members_tier" ON "members" USING btree ("merchant_id","tier_code","member_id");--> statement-breakpoint
CREATE INDEX "members_registered" ON "members" USING btree ("merchant_id","registered_at");--> statement-breakpoint
CREATE INDEX "orders_member" ON "orders" USING btree ("merchant_id","member_id","paid_at");--> statement-breakpoint
CREATE INDEX "orders_date" ON "orders" USING btree ("merchant_id","business_date");--> statement-breakpoint
CREATE INDEX "points_ledger_member" ON "points_ledger" USING btree ("merchant_id","member_id","id");--> statement-breakpoint
CREATE INDEX "points_ledger_date" ON "points_ledger" USING btree ("merchant_id","business_date");--> statement-breakpoint
CREATE INDEX "points_lots_member" ON "points_lots" USING btree ("merchant_id","member_id","expires_at");--> statement-breakpoint
CREATE INDEX "points_lots_expiry" ON "points_lots" USING btree ("merchant_id","expires_at");--> statement-breakpoint
CREATE INDEX "refunds_date" ON "refunds" USING btree ("merchant_id","business_date");--> statement-breakpoint
CREATE INDEX "right_instances_member" ON "right_instances" USING btree ("merchant_id","member_id","issued_at");--> statement-breakpoint
CREATE INDEX "right_instances_issued" ON "right_instances" USING btree ("merchant_id","issued_date");--> statement-breakpoint
CREATE INDEX "tier_history_member" ON "tier_history" USING btree ("merchant_id","member_id","changed_at");--> statement-breakpoint
CREATE INDEX "tier_history_date" ON "tier_history" USING btree ("merchant_id","business_date");