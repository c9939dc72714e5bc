import { and, eq, gte, ne, or, sql } from 'drizzle-orm';
import { soraGenerations } from '../schema';
import type { Database } from '../types';

/** What one attempt was priced on (the attempt's own copy: the video may have been edited since). */
export interface ChargeableAttempt {
  model: string;
  size: string;
  seconds: number;
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
 * The user's attempts requested since 00:00 UTC today by the database clock that the video service charges for:
 * every attempt still active or completed, plus failed ones whose job had finished rendering (progress 100, e.g. a
 * failed download). Attempts that failed earlier (refused, moderation, errors, stuck) are not billed and not counted.
 */
export async function listChargeableAttemptsToday(
  db: Database,
  userId: string,
): Promise<ChargeableAttempt[]> {
  return chargeableAttemptsTodayQuery(db, userId);
}

/** The query itself, unexecuted, so a test can check its plan (sora_generations_user_requested_idx). */
export function chargeableAttemptsTodayQuery(db: Database, userId: string) {
  return db
    .select({ model: soraGenerations.model, size: soraGenerations.size, seconds: soraGenerations.seconds })
    .from(soraGenerations)
    .where(
      and(
        eq(soraGenerations.userId, userId),
        gte(soraGenerations.requestedAt, sql`date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'`),
        or(ne(soraGenerations.status, 'failed'), gte(soraGenerations.progress, 100)),
      ),
    );
}
