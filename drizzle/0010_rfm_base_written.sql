-- The open day's RFM summaries are rebuilt by its next refresh: the new column has no value for old rows.
DELETE FROM "metric_open_rfm";--> statement-breakpoint
ALTER TABLE "metric_open_rfm" ADD COLUMN "base_written_at" timestamp with time zone NOT NULL;--> statement-breakpoint
ALTER TABLE "metric_rfm_base_state" ADD COLUMN "written_at" timestamp with time zone DEFAULT now() NOT NULL;