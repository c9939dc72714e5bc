import { failStuckGenerations, type StuckFailure } from '@sora-monitor/db';
import { FAILURE_CODES, stuckFailureMessage } from '../domain';
import type { GenerationDeps } from '../generations';

/**
 * Fails generations with no progress for the stuck timeout, by the database clock, exactly once across every
 * instance sweeping at the same time. Transient by nature, so each one gets an automatic retry while attempts last.
 */
export async function sweepStuckGenerations(deps: Pick<GenerationDeps, 'db' | 'settings' | 'logger'>): Promise<StuckFailure[]> {
  const { stuckTimeoutMs, maxAttempts, retryBaseMs } = deps.settings;
  const failed = await failStuckGenerations(deps.db, {
    timeoutMs: stuckTimeoutMs,
    code: FAILURE_CODES.stuckTimeout,
    message: stuckFailureMessage(stuckTimeoutMs),
    maxAttempts,
    retryBaseMs,
  });
  for (const failure of failed) {
    deps.logger.warn({ videoId: failure.videoId, autoRetryAt: failure.autoRetryAt }, 'Failed a stuck generation');
  }
  return failed;
}
