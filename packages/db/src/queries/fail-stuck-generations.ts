import { inArray, sql } from 'drizzle-orm';
import { soraEvents, soraGenerations, type GenerationStatus } from '../schema';
import type { Database } from '../types';
import { executeRows } from '../rows';
import { notify } from '../notify';
import { VIDEO_CHANGED_CHANNEL } from './commit-video-change';

export interface StuckFailure {
  videoId: string;
  userId: string;
  generationId: string | null;
  fromStatus: GenerationStatus;
  autoRetryAt: Date | null;
}

export interface FailStuckArgs {
  timeoutMs: number;
  code: string;
  message: string;
  /** Attempts a video may have in total; below it a stuck failure schedules an automatic retry. */
  maxAttempts: number;
  /** The first automatic retry comes base..2*base later; doubles per attempt (with jitter), capped at 32*base. */
  retryBaseMs: number;
}

/**
 * Fails every active generation whose progress has not moved for `timeoutMs`, by the DATABASE clock, with one audit
 * event each, in one transaction. Rows locked by a concurrent sweeper or refresh are skipped (SKIP LOCKED) and the
 * status guard is re-checked under the lock, so several sweepers fail each generation exactly once.
 */
export async function failStuckGenerations(db: Database, args: FailStuckArgs): Promise<StuckFailure[]> {
  return db.transaction(async (tx) => {
    const rows = await executeRows<{
      id: string;
      user_id: string;
      current_generation_id: string | null;
      from_status: GenerationStatus;
      auto_retry_at: string | Date | null;
    }>(
      tx,
      sql`
        with stuck as (
          select v.id, v.sora_generation_status as from_status, coalesce(g.attempt, 1) as attempt
          from videos v
          left join sora_generations g on g.id = v.current_generation_id
          where v.sora_generation_status in ('queued', 'in_progress')
            and coalesce(v.progress_changed_at, v.sora_started_at, v.updated_at)
                <= now() - ${args.timeoutMs} * interval '1 millisecond'
          for update of v skip locked
        )
        update videos as v
        set sora_generation_status = 'failed',
            sora_error_code = ${args.code},
            sora_error_message = ${args.message},
            next_poll_at = null,
            lease_owner = null,
            lease_until = null,
            -- The same plan as a transient upstream failure gets (core's retryDelayMs for the next attempt, equal
            -- jitter): the first retry after base..2*base, doubling per attempt, capped at 32*base.
            auto_retry_at = case when stuck.attempt < ${args.maxAttempts}
              then now() + ${args.retryBaseMs} * power(2, least(stuck.attempt, 5)) * (0.5 + random() / 2) * interval '1 millisecond'
              else null end,
            updated_at = now()
        from stuck
        where v.id = stuck.id and v.sora_generation_status in ('queued', 'in_progress')
        returning v.id, v.user_id, v.current_generation_id, stuck.from_status, v.auto_retry_at`,
    );
    if (rows.length === 0) return [];

    const generationIds = rows.map((row) => row.current_generation_id).filter((id): id is string => id !== null);
    if (generationIds.length > 0) {
      await tx
        .update(soraGenerations)
        .set({ status: 'failed', errorCode: args.code, errorMessage: args.message, updatedAt: sql`now()` })
        .where(inArray(soraGenerations.id, generationIds));
    }
    await tx.insert(soraEvents).values(
      rows.map((row) => ({
        videoId: row.id,
        userId: row.user_id,
        generationId: row.current_generation_id,
        actor: 'sweeper' as const,
        type: 'status_changed',
        fromStatus: row.from_status,
        toStatus: 'failed' as const,
        message: args.message,
        data: { code: args.code, timeoutMs: args.timeoutMs },
      })),
    );
    for (const row of rows) {
      await notify(tx, VIDEO_CHANGED_CHANNEL, JSON.stringify({ videoId: row.id, userId: row.user_id }));
    }
    return rows.map((row) => ({
      videoId: row.id,
      userId: row.user_id,
      generationId: row.current_generation_id,
      fromStatus: row.from_status,
      autoRetryAt: row.auto_retry_at ? new Date(row.auto_retry_at) : null,
    }));
  });
}

