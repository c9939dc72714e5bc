CREATE TYPE "public"."generation_status" AS ENUM('not_started', 'queued', 'in_progress', 'completed', 'failed');--> statement-breakpoint
CREATE TABLE "account" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"provider_id" text NOT NULL,
	"user_id" text NOT NULL,
	"access_token" text,
	"refresh_token" text,
	"id_token" text,
	"access_token_expires_at" timestamp with time zone,
	"refresh_token_expires_at" timestamp with time zone,
	"scope" text,
	"password" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session" (
	"id" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"user_id" text NOT NULL,
	CONSTRAINT "session_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "user" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"email_verified" boolean DEFAULT false NOT NULL,
	"image" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "verification" (
	"id" text PRIMARY KEY NOT NULL,
	"identifier" text NOT NULL,
	"value" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "videos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"title" text NOT NULL,
	"prompt" text NOT NULL,
	"model" text NOT NULL,
	"size" text NOT NULL,
	"seconds" integer NOT NULL,
	"current_generation_id" uuid,
	"sora_job_id" text,
	"sora_generation_status" "generation_status" DEFAULT 'not_started' NOT NULL,
	"sora_progress" integer DEFAULT 0 NOT NULL,
	"sora_video_url" text,
	"sora_error_code" text,
	"sora_error_message" text,
	"sora_started_at" timestamp with time zone,
	"sora_completed_at" timestamp with time zone,
	"sora_generation_cost" numeric(10, 2),
	"blob_key" text,
	"blob_size" bigint,
	"blob_sha256" text,
	"thumbnail_blob_key" text,
	"upstream_expires_at" timestamp with time zone,
	"progress_changed_at" timestamp with time zone,
	"last_polled_at" timestamp with time zone,
	"next_poll_at" timestamp with time zone,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"poll_failures" integer DEFAULT 0 NOT NULL,
	"last_poll_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sora_generations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"video_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"job_id" text,
	"status" "generation_status" NOT NULL,
	"create_outcome" text DEFAULT 'pending' NOT NULL,
	"prompt" text NOT NULL,
	"model" text NOT NULL,
	"size" text NOT NULL,
	"seconds" integer NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"error_code" text,
	"error_message" text,
	"cost" numeric(10, 2),
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sora_generations_video_attempt_key" UNIQUE("video_id","attempt")
);
--> statement-breakpoint
CREATE TABLE "sora_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sora_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"video_id" uuid NOT NULL,
	"generation_id" uuid,
	"user_id" text NOT NULL,
	"actor" text NOT NULL,
	"type" text NOT NULL,
	"from_status" "generation_status",
	"to_status" "generation_status",
	"message" text,
	"data" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "account" ADD CONSTRAINT "account_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "videos" ADD CONSTRAINT "videos_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "videos" ADD CONSTRAINT "videos_current_generation_id_sora_generations_id_fk" FOREIGN KEY ("current_generation_id") REFERENCES "public"."sora_generations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sora_generations" ADD CONSTRAINT "sora_generations_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sora_events" ADD CONSTRAINT "sora_events_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_user_id_idx" ON "account" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "session_user_id_idx" ON "session" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "videos_user_created_idx" ON "videos" USING btree ("user_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "videos_active_next_poll_idx" ON "videos" USING btree ("next_poll_at") WHERE "videos"."sora_generation_status" in ('queued', 'in_progress');--> statement-breakpoint
CREATE UNIQUE INDEX "sora_generations_job_id_key" ON "sora_generations" USING btree ("job_id") WHERE "sora_generations"."job_id" is not null;--> statement-breakpoint
CREATE INDEX "sora_generations_video_attempt_idx" ON "sora_generations" USING btree ("video_id","attempt" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "sora_events_video_id_idx" ON "sora_events" USING btree ("video_id","id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "sora_events_user_id_idx" ON "sora_events" USING btree ("user_id","id");