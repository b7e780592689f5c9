ALTER TABLE "import_jobs" ADD COLUMN "mapping" jsonb;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "actor" jsonb;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "committed_rows" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "report_bytes" integer DEFAULT 0 NOT NULL;