import { sql, type SQL } from 'drizzle-orm';
import { executeRows } from '../rows';
import type { GenerationStatus } from '../schema';
import type { Database } from '../types';

/**
 * How many of one user's attempts share a day (in the time zone), what was priced (model, size, seconds) and how
 * they ended: everything the spend rule and the outcome charts need, grouped in the database so the answer stays
 * small however many attempts there are.
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

/** Attempts requested since `since`, grouped by day in `timeZone` (over sora_generations_user_requested_idx). */
export async function listAttemptCountsByDay(
  db: Database,
  args: { userId: string; since: Date; timeZone: string },
): Promise<AttemptCount[]> {
  const rows = await executeRows<Omit<AttemptCount, 'count' | 'seconds'> & { count: number | string; seconds: number | string }>(db, attemptCountsByDayQuery(args));
  return rows.map((row) => ({ ...row, seconds: Number(row.seconds), count: Number(row.count) }));
}

/** The query itself, unexecuted, so a test can check its plan. */
export function attemptCountsByDayQuery(args: { userId: string; since: Date; timeZone: string }): SQL {
  return sql`select to_char((requested_at at time zone ${args.timeZone})::date, 'YYYY-MM-DD') as "day",
               model, size, seconds, status, error_code as "errorCode", create_outcome as "createOutcome",
               progress >= 100 as "produced", count(*) as "count"
        from sora_generations
        where user_id = ${args.userId} and requested_at >= ${args.since.toISOString()}::timestamptz
        group by 1, model, size, seconds, status, error_code, create_outcome, 8
        order by 1`;
}
