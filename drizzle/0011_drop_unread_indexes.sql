DROP INDEX "events_member";--> statement-breakpoint
DROP INDEX "members_last_order";