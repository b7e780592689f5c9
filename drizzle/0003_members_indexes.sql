-- The members list: keyset pagination on (sort column, member_id) within a merchant, and prefix search.
-- Every index here is paid for on each member update (an order touches spend, points and last order),
-- so only the sorts and searches the list offers get one.
CREATE INDEX IF NOT EXISTS "members_list_registered" ON "members" USING btree ("merchant_id","registered_at","member_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "members_list_spend" ON "members" USING btree ("merchant_id","lifetime_spend","member_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "members_list_points" ON "members" USING btree ("merchant_id","points_balance","member_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "members_list_last_order" ON "members" USING btree ("merchant_id",(coalesce("last_order_at", 'epoch'::timestamptz)),"member_id");--> statement-breakpoint
-- Spend and points follow tier (the top spenders are all diamonds): a tier's ranking by them needs its own index.
CREATE INDEX IF NOT EXISTS "members_list_tier_spend" ON "members" USING btree ("merchant_id","tier_code","lifetime_spend","member_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "members_list_tier_points" ON "members" USING btree ("merchant_id","tier_code","points_balance","member_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "members_search_id" ON "members" USING btree ("merchant_id","member_id" text_pattern_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "members_search_phone" ON "members" USING btree ("merchant_id","phone" text_pattern_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "members_search_name" ON "members" USING btree ("merchant_id","name" text_pattern_ops);
