CREATE INDEX "automation_firings_date" ON "automation_firings" USING btree ("merchant_id","automation_code","fired_date");--> statement-breakpoint
CREATE INDEX "events_occurred" ON "events" USING btree ("merchant_id","occurred_at");--> statement-breakpoint
CREATE INDEX "members_last_order" ON "members" USING btree ("merchant_id","last_order_at");