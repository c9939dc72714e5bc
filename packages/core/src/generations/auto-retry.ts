import type { Video } from '@sora-monitor/db';
import { classifyFailure, retryDelayMs } from '../domain';
import type { GenerationDeps } from './deps';
import { getGenerationById } from './video-queries';

/**
 * When a failure is one that trying again can fix (an upstream server error, a stuck job) and attempts are left,
 * the time for the next attempt; otherwise null. Failures retrying cannot fix (moderation, invalid request, quota)
 * are never retried automatically.
 */
export async function planAutoRetry(
  deps: Pick<GenerationDeps, 'db' | 'settings' | 'random'>,
  video: Pick<Video, 'currentGenerationId'>,
  failure: { code: string | null; message: string | null },
  now: Date,
): Promise<Date | null> {
  if (!classifyFailure(failure.code, failure.message).autoRetryable) return null;
  const generation = video.currentGenerationId ? await getGenerationById(deps.db, video.currentGenerationId) : null;
  const delay = retryDelayMs((generation?.attempt ?? 1) + 1, {
    baseMs: deps.settings.retryBaseMs,
    capMs: deps.settings.retryBaseMs * 32,
    random: deps.random ?? Math.random,
    maxAttempts: deps.settings.maxAttempts,
  });
  return delay === null ? null : new Date(now.getTime() + delay);
}
