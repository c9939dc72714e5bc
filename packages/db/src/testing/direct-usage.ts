import { sql, type SQL } from 'drizzle-orm';
import { executeRows } from '../rows';
import type { AttemptCount } from '../queries/usage-rollups';
import type { Database } from '../types';

/*
 * The usage figures read straight from the attempts, grouped in one query: what the rollups (migration 0011) must
 * always equal. Tests compare the two; the product reads the rollups.
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
  return sql`select to_char((requested_at at time zone ${args.timeZone})::date, 'YYYY-MM-DD') as "day",
               model, size, seconds, status, error_code as "errorCode", create_outcome as "createOutcome",
               progress >= 100 as "produced", count(*) as "count"
        from sora_generations
        where user_id = ${args.userId} and requested_at >= ${args.since.toISOString()}::timestamptz
        group by 1, model, size, seconds, status, error_code, create_outcome, 8
        order by 1`;
}
