import { and, eq, gte, sql } from 'drizzle-orm';
import { soraGenerations, type GenerationStatus } from '../schema';
import type { Database } from '../types';

/** What one attempt of today was priced on (its own copy: the video may have been edited since) and how it ended. */
export interface AttemptToday {
  model: string;
  size: string;
  seconds: number;
  status: GenerationStatus;
  errorCode: string | null;
  createOutcome: string;
  progress: number;
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
 * Every attempt the user requested since 00:00 UTC today by the database clock, with what the spend rule needs to
 * know (core's `countsTowardSpend` decides which count: the rule lives in the pure domain).
 */
export async function listAttemptsToday(db: Database, userId: string): Promise<AttemptToday[]> {
  return attemptsTodayQuery(db, userId);
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
      progress: soraGenerations.progress,
    })
    .from(soraGenerations)
    .where(
      and(
        eq(soraGenerations.userId, userId),
        gte(soraGenerations.requestedAt, sql`date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'`),
      ),
    );
}
