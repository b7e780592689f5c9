-- The members list: keyset pagination on (sort column, member_id) within a merchant, and prefix search.
CREATE INDEX IF NOT EXISTS "members_list_registered" ON "members" USING btree ("merchant_id","registered_at","member_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "members_list_spend" ON "members" USING btree ("merchant_id","lifetime_spend","member_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "members_list_points" ON "members" USING btree ("merchant_id","points_balance","member_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "members_list_growth" ON "members" USING btree ("merchant_id","growth","member_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "members_list_last_order" ON "members" USING btree ("merchant_id",(coalesce("last_order_at", 'epoch'::timestamptz)),"member_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "members_search_id" ON "members" USING btree ("merchant_id","member_id" text_pattern_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "members_search_phone" ON "members" USING btree ("merchant_id","phone" text_pattern_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "members_search_name" ON "members" USING btree ("merchant_id","name" text_pattern_ops);
