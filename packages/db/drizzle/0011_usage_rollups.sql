CREATE TABLE "deleted_attempts" (
	"user_id" text NOT NULL,
	"slot" timestamp with time zone NOT NULL,
	"model" text NOT NULL,
	"size" text NOT NULL,
	"seconds" integer NOT NULL,
	"status" "generation_status" NOT NULL,
	"error_code" text NOT NULL,
	"create_outcome" text NOT NULL,
	"produced" boolean NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "deleted_attempts_pk" PRIMARY KEY("user_id","slot","model","size","seconds","status","error_code","create_outcome","produced")
);
--> statement-breakpoint
CREATE TABLE "usage_days" (
	"user_id" text NOT NULL,
	"time_zone" text NOT NULL,
	"day" date NOT NULL,
	"model" text NOT NULL,
	"size" text NOT NULL,
	"seconds" integer NOT NULL,
	"status" "generation_status" NOT NULL,
	"error_code" text NOT NULL,
	"create_outcome" text NOT NULL,
	"produced" boolean NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "usage_days_pk" PRIMARY KEY("user_id","time_zone","day","model","size","seconds","status","error_code","create_outcome","produced")
);
--> statement-breakpoint
CREATE TABLE "usage_ready_days" (
	"user_id" text NOT NULL,
	"time_zone" text NOT NULL,
	"day" date NOT NULL,
	"model" text NOT NULL,
	"size" text NOT NULL,
	"buckets" jsonb NOT NULL,
	CONSTRAINT "usage_ready_days_pk" PRIMARY KEY("user_id","time_zone","day","model","size")
);
--> statement-breakpoint
CREATE TABLE "usage_time_zones" (
	"user_id" text NOT NULL,
	"time_zone" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_time_zones_pk" PRIMARY KEY("user_id","time_zone")
);
--> statement-breakpoint
ALTER TABLE "sora_generations" ADD COLUMN "ready_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "deleted_attempts" ADD CONSTRAINT "deleted_attempts_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_days" ADD CONSTRAINT "usage_days_time_zone_fk" FOREIGN KEY ("user_id","time_zone") REFERENCES "public"."usage_time_zones"("user_id","time_zone") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_ready_days" ADD CONSTRAINT "usage_ready_days_time_zone_fk" FOREIGN KEY ("user_id","time_zone") REFERENCES "public"."usage_time_zones"("user_id","time_zone") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_time_zones" ADD CONSTRAINT "usage_time_zones_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Hand-written from here on (drizzle-kit does not model functions and triggers): the usage rollups' upkeep.
-- Existing completed attempts were ready when their first completion event was written.
UPDATE "sora_generations" g SET "ready_at" = (
  SELECT min(e."created_at") FROM "sora_events" e WHERE e."generation_id" = g."id" AND e."to_status" = 'completed'
) WHERE g."status" = 'completed';
--> statement-breakpoint
-- The histogram bucket of a request → ready time: b holds [1.05^b, 1.05^(b+1)) seconds; under a second is bucket 0.
CREATE FUNCTION usage_ready_bucket(ms double precision) RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
  SELECT least(32767, floor(ln(greatest(ms, 1000) / 1000) / ln(1.05)))::smallint
$$;
--> statement-breakpoint
-- Adds `delta` (1 or -1) of one attempt `g` to its count row in time zone `tz`; a row that reaches 0 goes.
CREATE FUNCTION usage_count_add(g sora_generations, tz text, delta integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  local_day date := (g.requested_at AT TIME ZONE tz)::date;
  code text := coalesce(g.error_code, '');
BEGIN
  INSERT INTO usage_days AS u (user_id, time_zone, day, model, size, seconds, status, error_code, create_outcome, produced, count)
  VALUES (g.user_id, tz, local_day, g.model, g.size, g.seconds, g.status, code, g.create_outcome, g.progress >= 100, delta)
  ON CONFLICT (user_id, time_zone, day, model, size, seconds, status, error_code, create_outcome, produced)
  DO UPDATE SET count = u.count + excluded.count;
  IF delta < 0 THEN
    DELETE FROM usage_days
    WHERE user_id = g.user_id AND time_zone = tz AND day = local_day AND model = g.model AND size = g.size
      AND seconds = g.seconds AND status = g.status AND error_code = code AND create_outcome = g.create_outcome
      AND produced = (g.progress >= 100) AND count <= 0;
  END IF;
END $$;
--> statement-breakpoint
-- Adds `delta` of a completed attempt `g` to its ready-time histogram bucket in `tz` (a bucket at [0, 0] stays: one
-- row per day, model and size bounds it). Other attempts have no ready time.
CREATE FUNCTION usage_ready_add(g sora_generations, tz text, delta integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ms bigint;
  bucket text;
BEGIN
  IF g.status <> 'completed' OR g.ready_at IS NULL THEN
    RETURN;
  END IF;
  ms := round(extract(epoch FROM (g.ready_at - g.requested_at)) * 1000);
  bucket := usage_ready_bucket(ms)::text;
  INSERT INTO usage_ready_days AS r (user_id, time_zone, day, model, size, buckets)
  VALUES (g.user_id, tz, (g.requested_at AT TIME ZONE tz)::date, g.model, g.size,
          jsonb_build_object(bucket, jsonb_build_array(delta, delta * ms)))
  ON CONFLICT (user_id, time_zone, day, model, size)
  DO UPDATE SET buckets = r.buckets || jsonb_build_object(bucket, jsonb_build_array(
    coalesce((r.buckets -> bucket ->> 0)::bigint, 0) + delta,
    coalesce((r.buckets -> bucket ->> 1)::bigint, 0) + delta * ms));
END $$;
--> statement-breakpoint
-- Moves an attempt between rollup rows as it is inserted or changed, in every zone its user has. A deleted attempt
-- keeps its count (moved to deleted_attempts, and left in the zones' counts: the money was spent) and leaves the
-- ready-time histograms. The shared advisory lock lets a zone's first fill (which takes it exclusively) see every
-- attempt either committed or not yet counted, never half.
CREATE FUNCTION usage_rollup_on_generation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tz text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_advisory_xact_lock_shared(hashtextextended('sora-usage:' || OLD.user_id, 0));
    -- When the user is being deleted, everything of theirs goes: nothing to keep.
    IF EXISTS (SELECT 1 FROM "user" WHERE id = OLD.user_id) THEN
      INSERT INTO deleted_attempts AS d (user_id, slot, model, size, seconds, status, error_code, create_outcome, produced, count)
      VALUES (OLD.user_id, date_bin('15 minutes', OLD.requested_at, timestamptz '2000-01-01 00:00:00+00'), OLD.model, OLD.size,
              OLD.seconds, OLD.status, coalesce(OLD.error_code, ''), OLD.create_outcome, OLD.progress >= 100, 1)
      ON CONFLICT (user_id, slot, model, size, seconds, status, error_code, create_outcome, produced)
      DO UPDATE SET count = d.count + 1;
    END IF;
    FOR tz IN SELECT time_zone FROM usage_time_zones WHERE user_id = OLD.user_id LOOP
      PERFORM usage_ready_add(OLD, tz, -1);
    END LOOP;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM pg_advisory_xact_lock_shared(hashtextextended('sora-usage:' || OLD.user_id, 0));
    FOR tz IN SELECT time_zone FROM usage_time_zones WHERE user_id = OLD.user_id LOOP
      PERFORM usage_count_add(OLD, tz, -1);
      PERFORM usage_ready_add(OLD, tz, -1);
    END LOOP;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(hashtextextended('sora-usage:' || NEW.user_id, 0));
  FOR tz IN SELECT time_zone FROM usage_time_zones WHERE user_id = NEW.user_id LOOP
    PERFORM usage_count_add(NEW, tz, 1);
    PERFORM usage_ready_add(NEW, tz, 1);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER usage_rollup_insert AFTER INSERT ON sora_generations
  FOR EACH ROW EXECUTE FUNCTION usage_rollup_on_generation();
--> statement-breakpoint
CREATE TRIGGER usage_rollup_delete AFTER DELETE ON sora_generations
  FOR EACH ROW EXECUTE FUNCTION usage_rollup_on_generation();
--> statement-breakpoint
-- Only changes the rollups read: progress matters only as it crosses 100 (leases, polls and progress ticks do not fire).
CREATE TRIGGER usage_rollup_update AFTER UPDATE ON sora_generations
  FOR EACH ROW WHEN (
    OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.requested_at IS DISTINCT FROM NEW.requested_at
    OR OLD.model IS DISTINCT FROM NEW.model OR OLD.size IS DISTINCT FROM NEW.size OR OLD.seconds IS DISTINCT FROM NEW.seconds
    OR OLD.status IS DISTINCT FROM NEW.status OR OLD.error_code IS DISTINCT FROM NEW.error_code
    OR OLD.create_outcome IS DISTINCT FROM NEW.create_outcome OR (OLD.progress >= 100) IS DISTINCT FROM (NEW.progress >= 100)
    OR OLD.ready_at IS DISTINCT FROM NEW.ready_at
  ) EXECUTE FUNCTION usage_rollup_on_generation();
--> statement-breakpoint
-- An attempt is ready when its first completion event is written.
CREATE FUNCTION usage_ready_on_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sora_generations SET ready_at = NEW.created_at
  WHERE id = NEW.generation_id AND (ready_at IS NULL OR ready_at > NEW.created_at);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER usage_ready_on_event AFTER INSERT ON sora_events
  FOR EACH ROW WHEN (NEW.to_status = 'completed' AND NEW.generation_id IS NOT NULL)
  EXECUTE FUNCTION usage_ready_on_event();
