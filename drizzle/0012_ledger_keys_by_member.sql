ALTER TABLE "points_lots" DROP CONSTRAINT "points_lots_source";--> statement-breakpoint
DROP INDEX "growth_ledger_member";--> statement-breakpoint
DROP INDEX "points_ledger_member";--> statement-breakpoint
DROP INDEX "points_lots_member";--> statement-breakpoint
ALTER TABLE "growth_ledger" DROP CONSTRAINT "growth_ledger_merchant_id_id_pk";--> statement-breakpoint
ALTER TABLE "points_ledger" DROP CONSTRAINT "points_ledger_merchant_id_id_pk";--> statement-breakpoint
ALTER TABLE "points_lots" DROP CONSTRAINT "points_lots_merchant_id_id_pk";--> statement-breakpoint
ALTER TABLE "growth_ledger" ADD CONSTRAINT "growth_ledger_merchant_id_member_id_id_pk" PRIMARY KEY("merchant_id","member_id","id");--> statement-breakpoint
ALTER TABLE "points_ledger" ADD CONSTRAINT "points_ledger_merchant_id_member_id_id_pk" PRIMARY KEY("merchant_id","member_id","id");--> statement-breakpoint
ALTER TABLE "points_lots" ADD CONSTRAINT "points_lots_merchant_id_member_id_id_pk" PRIMARY KEY("merchant_id","member_id","id");