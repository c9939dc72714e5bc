import { sql, type SQL } from 'drizzle-orm';
import { executeRows } from '../rows';
import type { Database } from '../types';
import type { GenerationStatus } from '../schema';

/**
 * How many of one user's attempts share a day (in the time zone), what was priced (model, size, seconds) and how
 * they ended: everything the spend rule and the outcome charts need.
 */
export interface AttemptCount {
  /** YYYY-MM-DD in the time zone. */
  day: string;
  model: string;
  size: string;
  seconds: number;
  status: GenerationStatus;
  errorCode: string | null;
  createOutcome: string;
  /** Whether upstream had reported the job done (progress 100): the spend rule's one use of progress. */
  produced: boolean;
  count: number;
}

/** How many time zones' rollups are kept per user; a report in one more drops the least recently used. */
export const MAX_USAGE_TIME_ZONES = 4;

/** Rollups are keyed by the zone's name in lower case: PostgreSQL reads zone names in any case alike. */
export const usageZoneKey = (timeZone: string) => timeZone.toLowerCase();

const usageLockKey = (userId: string) => sql`hashtextextended(${`sora-usage:${userId}`}, 0)`;

/**
 * Makes sure `timeZone`'s rollups exist for the user. The first report in a zone fills them from the user's attempts
 * in one transaction that holds the user's usage lock exclusively, so each attempt being written meanwhile is either
 * committed before the fill reads (and counted by it) or counted by its own trigger after (see migration 0011).
 * Returns whether this call filled the zone.
 */
export async function ensureUsageTimeZone(db: Database, userId: string, timeZone: string): Promise<boolean> {
  const zone = usageZoneKey(timeZone);
  const [known] = await executeRows<{ stale: boolean }>(
    db,
    sql`select last_used_at < now() - interval '1 day' as "stale" from usage_time_zones where user_id = ${userId} and time_zone = ${zone}`,
  );
  if (known) {
    if (known.stale)
      await db.execute(
        sql`update usage_time_zones set last_used_at = now() where user_id = ${userId} and time_zone = ${zone}`,
      );
    return false;
  }
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${usageLockKey(userId)})`);
    const inserted = await executeRows<{ zone: string }>(
      tx,
      sql`insert into usage_time_zones (user_id, time_zone) values (${userId}, ${zone}) on conflict do nothing returning time_zone as "zone"`,
    );
    if (inserted.length === 0) return false;
    // The attempts there are, and those of deleted videos (their slot's local day is the attempt's).
    await tx.execute(sql`
      insert into usage_days (user_id, time_zone, day, model, size, seconds, status, error_code, create_outcome, produced, count)
      select ${userId}, ${zone}, day, model, size, seconds, status, error_code, create_outcome, produced, sum(count)
      from (select (requested_at at time zone ${zone})::date as day, model, size, seconds, status,
                   coalesce(error_code, '') as error_code, create_outcome, progress >= 100 as produced, 1 as count
            from sora_generations where user_id = ${userId}
            union all
            select (slot at time zone ${zone})::date, model, size, seconds, status, error_code, create_outcome, produced, count
            from deleted_attempts where user_id = ${userId}) attempt
      group by day, model, size, seconds, status, error_code, create_outcome, produced`);
    await tx.execute(sql`
      insert into usage_ready_days (user_id, time_zone, day, model, size, buckets)
      select ${userId}, ${zone}, day, model, size, jsonb_object_agg(bucket::text, jsonb_build_array(count, sum_ms))
      from (select day, model, size, usage_ready_bucket(ms) as bucket, count(*) as count, sum(ms) as sum_ms
            from (select (requested_at at time zone ${zone})::date as day, model, size,
                         round(extract(epoch from (ready_at - requested_at)) * 1000)::bigint as ms
                  from sora_generations where user_id = ${userId} and status = 'completed' and ready_at is not null) timed
            group by day, model, size, bucket) bucketed
      group by day, model, size`);
    // Over the limit: the zone used longest ago goes, its rows with it (by cascade).
    await tx.execute(sql`
      delete from usage_time_zones where user_id = ${userId} and time_zone in (
        select time_zone from usage_time_zones where user_id = ${userId}
        order by last_used_at desc, created_at desc offset ${MAX_USAGE_TIME_ZONES})`);
    return true;
  });
}

type RollupRange = { userId: string; timeZone: string; sinceDay: string };

/** The user's attempts requested on or after `sinceDay` (local), counted per day and kind, from the rollups. */
export async function listUsageDays(db: Database, args: RollupRange): Promise<AttemptCount[]> {
  type Row = Omit<AttemptCount, 'count' | 'errorCode'> & { errorCode: string; count: number | string };
  const rows = await executeRows<Row>(db, usageDaysQuery(args));
  return rows.map((row) => ({ ...row, errorCode: row.errorCode === '' ? null : row.errorCode, count: Number(row.count) }));
}

/** The query itself, unexecuted, so a test can check its plan (the primary key's leading columns). */
export function usageDaysQuery(args: RollupRange): SQL {
  return sql`select to_char(day, 'YYYY-MM-DD') as "day", model, size, seconds, status, error_code as "errorCode",
                    create_outcome as "createOutcome", produced, count
             from usage_days
             where user_id = ${args.userId} and time_zone = ${usageZoneKey(args.timeZone)} and day >= ${args.sinceDay}::date
             order by day`;
}

/** One histogram bucket of request → ready times: `count` times summing to `sumMs`. */
export interface ReadyBucket {
  model: string;
  size: string;
  bucket: number;
  count: number;
  sumMs: number;
}

/**
 * The ready-time histogram of completed attempts requested on or after `sinceDay` (local), per model and size, merged
 * over the days here: the database sends one row per day, model and size.
 */
export async function listUsageReadyBuckets(db: Database, args: RollupRange): Promise<ReadyBucket[]> {
  type Buckets = Record<string, [number | string, number | string]>;
  const rows = await executeRows<{ model: string; size: string; buckets: string | Buckets }>(db, usageReadyDaysQuery(args));
  const merged = new Map<string, ReadyBucket>();
  for (const row of rows) {
    const buckets = typeof row.buckets === 'string' ? (JSON.parse(row.buckets) as Buckets) : row.buckets;
    for (const [bucket, [count, sumMs]] of Object.entries(buckets)) {
      if (Number(count) <= 0) continue;
      const key = `${row.model}\u0000${row.size}\u0000${bucket}`;
      const total = merged.get(key) ?? { model: row.model, size: row.size, bucket: Number(bucket), count: 0, sumMs: 0 };
      total.count += Number(count);
      total.sumMs += Number(sumMs);
      merged.set(key, total);
    }
  }
  return [...merged.values()];
}

/** The histogram rows' query, unexecuted, so a test can check its plan. */
export function usageReadyDaysQuery(args: RollupRange): SQL {
  return sql`select model, size, buckets from usage_ready_days
             where user_id = ${args.userId} and time_zone = ${usageZoneKey(args.timeZone)} and day >= ${args.sinceDay}::date`;
}
