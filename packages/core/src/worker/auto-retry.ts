import { claimDueRetries, commitVideoChange, type Video } from '@sora-monitor/db';
import { isDailySpendCapError } from '../domain';
import { startGeneration, type GenerationDeps } from '../generations';

/** Starts the automatic new attempts that are due (each claimed by exactly one worker). */
export async function startDueRetries(deps: GenerationDeps, limit: number): Promise<number> {
  const due = await claimDueRetries(deps.db, limit);
  for (const video of due) {
    try {
      await startGeneration(deps, video.userId, video.id, { actor: 'poller' });
      deps.logger.info({ videoId: video.id }, 'Started an automatic retry');
    } catch (error) {
      if (isDailySpendCapError(error)) {
        await recordRetryRefusedBySpendCap(deps, video, error.message);
        continue;
      }
      // E.g. the user started one themselves meanwhile (CONFLICT): their choice wins.
      deps.logger.warn({ err: error, videoId: video.id }, 'Automatic retry not started');
    }
  }
  return due.length;
}

/**
 * The spend cap stopped an automatic retry: the generation stays failed (nothing was sent upstream), and its message
 * and history say why, so the owner is not left waiting for a retry that will not come.
 */
async function recordRetryRefusedBySpendCap(
  deps: GenerationDeps,
  video: Video,
  reason: string,
): Promise<void> {
  const message = `The automatic retry was not started. ${reason}`;
  deps.logger.warn({ videoId: video.id }, 'Automatic retry refused by the daily spend cap');
  await commitVideoChange(deps.db, {
    videoId: video.id,
    userId: video.userId,
    generationId: video.currentGenerationId,
    actor: 'poller',
    // Only if nothing changed meanwhile (a user reset or regenerate wins).
    expect: { status: 'failed', jobId: video.soraJobId },
    set: { soraErrorMessage: message },
    events: [
      {
        type: 'auto_retry_refused',
        fromStatus: 'failed',
        toStatus: 'failed',
        message,
        data: { reason: 'daily_spend_cap' },
      },
    ],
  });
}
