import type { Video } from '@sora-monitor/db';
import { autoRetryAt, shouldAutoRetry } from '../domain';
import type { GenerationDeps } from './deps';
import { getGenerationById } from './video-queries';

/**
 * When a failure is one that trying again can fix (an upstream server error, a stuck job, a job the service lost
 * before it produced the video) and attempts are left, the time for the next attempt; otherwise null. Failures
 * retrying cannot fix (moderation, invalid request, quota, cancelled) are never retried automatically.
 */
export async function planAutoRetry(
  deps: Pick<GenerationDeps, 'db' | 'settings' | 'random'>,
  video: Pick<Video, 'currentGenerationId' | 'soraProgress'>,
  failure: { code: string | null; message: string | null },
  now: Date,
): Promise<Date | null> {
  // Progress 100 before the failure: upstream had reported the video done (it is stored once downloaded).
  if (!shouldAutoRetry(failure, { producedVideo: video.soraProgress === 100 })) return null;
  const generation = video.currentGenerationId ? await getGenerationById(deps.db, video.currentGenerationId) : null;
  return autoRetryAt((generation?.attempt ?? 1) + 1, now, deps.settings, deps.random);
}
