DROP INDEX "webhook_receipts_unprocessed_idx";--> statement-breakpoint
ALTER TABLE "webhook_receipts" ADD COLUMN "available_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "webhook_receipts_available_idx" ON "webhook_receipts" USING btree ("available_at") WHERE processed_at is null;