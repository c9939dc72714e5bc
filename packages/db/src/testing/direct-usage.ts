import { sql, type SQL } from 'drizzle-orm';
import { executeRows } from '../rows';
import type { AttemptCount } from '../queries/usage-rollups';
import type { Database } from '../types';

/*
 * The usage figures read straight from the attempts (and the deleted ones' counts), grouped in one query: what the
 * rollups (migration 0011) must always equal. Tests compare the two; the product reads the rollups.
 */

/** Attempts requested since `since`, grouped by day in `timeZone` as `usage_days` groups them. */
export async function directUsageDays(
  db: Database,
  args: { userId: string; since: Date; timeZone: string },
): Promise<AttemptCount[]> {
  const rows = await executeRows<Omit<AttemptCount, 'count' | 'seconds'> & { count: number | string; seconds: number | string }>(db, attemptCountsByDayQuery(args));
  return rows.map((row) => ({ ...row, seconds: Number(row.seconds), count: Number(row.count) }));
}

function attemptCountsByDayQuery(args: { userId: string; since: Date; timeZone: string }): SQL {
  return sql`select to_char(day, 'YYYY-MM-DD') as "day", model, size, seconds, status, "errorCode", "createOutcome",
                    produced, sum(count) as "count"
        from (select (requested_at at time zone ${args.timeZone})::date as day, model, size, seconds, status,
                     error_code as "errorCode", create_outcome as "createOutcome", progress >= 100 as produced, 1 as count
              from sora_generations
              where user_id = ${args.userId} and requested_at >= ${args.since.toISOString()}::timestamptz
              union all
              select (slot at time zone ${args.timeZone})::date, model, size, seconds, status, nullif(error_code, ''),
                     create_outcome, produced, count
              from deleted_attempts where user_id = ${args.userId} and slot >= ${args.since.toISOString()}::timestamptz) attempt
        group by day, model, size, seconds, status, "errorCode", "createOutcome", produced
        order by 1`;
}
