import { sql, type SQL } from 'drizzle-orm';
import { executeRows } from '../rows';
import type { GenerationStatus } from '../schema';
import type { Database } from '../types';

/**
 * What `count` attempts of today were priced on (each attempt's own copy: the video may have been edited since) and
 * how they ended, alike in all of it.
 */
export interface AttemptToday {
  model: string;
  size: string;
  seconds: number;
  status: GenerationStatus;
  errorCode: string | null;
  createOutcome: string;
  /** 100 when upstream had reported the job done, else 0: the spend rule's one use of progress. */
  progress: number;
  count: number;
}

/**
 * Serialises every spend check of one user until the calling transaction ends, so two concurrent starts cannot both
 * see the same "spent so far" and together pass the cap. A transaction-scoped advisory lock: released by COMMIT or
 * ROLLBACK, nothing to clean up, and PGlite supports it too.
 */
export async function lockUserSpending(tx: Database, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sora-spend:${userId}`}, 0))`);
}

/**
 * The attempts the user requested since 00:00 UTC today by the database clock, those of deleted videos included,
 * grouped by what the spend rule needs to know (core's `countsTowardSpend` decides which count: the rule lives in the
 * pure domain). Grouped in the database, so a user with a thousand attempts today costs a handful of rows.
 */
export async function listAttemptsToday(db: Database, userId: string): Promise<AttemptToday[]> {
  const rows = await executeRows<Omit<AttemptToday, 'count' | 'seconds' | 'progress'> & Record<'count' | 'seconds' | 'progress', number | string>>(
    db,
    attemptsTodayQuery(userId),
  );
  return rows.map((row) => ({ ...row, seconds: Number(row.seconds), progress: Number(row.progress), count: Number(row.count) }));
}

/** The query itself, unexecuted, so a test can check its plan (sora_generations_user_requested_idx). */
export function attemptsTodayQuery(userId: string): SQL {
  const midnight = sql`date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'`;
  return sql`select model, size, seconds, status, "errorCode", "createOutcome", progress, sum(count) as "count"
    from (select model, size, seconds, status, error_code as "errorCode", create_outcome as "createOutcome",
                 case when progress >= 100 then 100 else 0 end as progress, 1 as count
          from sora_generations where user_id = ${userId} and requested_at >= ${midnight}
          union all
          select model, size, seconds, status, nullif(error_code, ''), create_outcome, case when produced then 100 else 0 end, count
          from deleted_attempts where user_id = ${userId} and slot >= ${midnight}) attempt
    group by model, size, seconds, status, "errorCode", "createOutcome", progress`;
}
