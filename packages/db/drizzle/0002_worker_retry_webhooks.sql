CREATE TABLE "webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "auto_retry_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "videos_auto_retry_idx" ON "videos" USING btree ("auto_retry_at") WHERE "videos"."auto_retry_at" is not null;