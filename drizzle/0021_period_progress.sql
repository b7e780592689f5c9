CREATE TABLE "period_progress" (
	"merchant_id" text NOT NULL,
	"business_date" date NOT NULL,
	"done_through" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "period_progress_merchant_id_business_date_pk" PRIMARY KEY("merchant_id","business_date")
);
