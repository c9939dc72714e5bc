import { and, eq, gte, sql } from 'drizzle-orm';
import { soraGenerations, type GenerationStatus } from '../schema';
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
 * The attempts the user requested since 00:00 UTC today by the database clock, grouped by what the spend rule needs
 * to know (core's `countsTowardSpend` decides which count: the rule lives in the pure domain). Grouped in the
 * database, so a user with a thousand attempts today costs a handful of rows, not a thousand.
 */
export async function listAttemptsToday(db: Database, userId: string): Promise<AttemptToday[]> {
  const rows = await attemptsTodayQuery(db, userId);
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
}

/** The query itself, unexecuted, so a test can check its plan (sora_generations_user_requested_idx). */
export function attemptsTodayQuery(db: Database, userId: string) {
  return db
    .select({
      model: soraGenerations.model,
      size: soraGenerations.size,
      seconds: soraGenerations.seconds,
      status: soraGenerations.status,
      errorCode: soraGenerations.errorCode,
      createOutcome: soraGenerations.createOutcome,
      progress: sql<number>`(case when ${soraGenerations.progress} >= 100 then 100 else 0 end)::int`.as('produced'),
      count: sql<number | string>`count(*)`.as('count'),
    })
    .from(soraGenerations)
    .where(
      and(
        eq(soraGenerations.userId, userId),
        gte(soraGenerations.requestedAt, sql`date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'`),
      ),
    )
    // Positional 7: the progress case above.
    .groupBy(soraGenerations.model, soraGenerations.size, soraGenerations.seconds, soraGenerations.status, soraGenerations.errorCode, soraGenerations.createOutcome, sql`7`);
}
