ALTER TABLE "videos" ADD COLUMN "upstream_answering_since" timestamp with time zone;--> statement-breakpoint
-- Active jobs whose last poll was answered: answering since at least that poll (later, so never "stuck" sooner).
UPDATE "videos" SET "upstream_answering_since" = "last_polled_at"
WHERE "sora_generation_status" IN ('queued', 'in_progress') AND "sora_job_id" IS NOT NULL AND "poll_failures" = 0;
