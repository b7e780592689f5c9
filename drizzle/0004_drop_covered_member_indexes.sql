DROP INDEX "members_phone";--> statement-breakpoint
DROP INDEX "members_registered";