import { getVideoForUser } from '@sora-monitor/db';
import { commitChange } from './commit-change';
import { AppError, planCancelAutoRetry } from '../domain';
import type { GenerationDeps } from './deps';
import { toStatusView, type StatusView } from './status-view';

/** The owner's "don't retry this automatically": the planned retry is dropped and the generation stays failed. */
export async function cancelAutoRetry(deps: Pick<GenerationDeps, 'db'>, userId: string, videoId: string): Promise<StatusView> {
  const video = await getVideoForUser(deps.db, userId, videoId);
  if (!video) throw new AppError('NOT_FOUND', 'Video not found');
  const plan = planCancelAutoRetry({ status: video.soraGenerationStatus, autoRetryAt: video.autoRetryAt });
  const committed = await commitChange(deps.db, {
    videoId,
    userId,
    generationId: video.currentGenerationId,
    actor: 'user',
    // A worker that already claimed the retry cleared the plan and starts the new attempt: that one then wins.
    expect: { status: 'failed', jobId: video.soraJobId },
    set: { autoRetryAt: plan.autoRetryAt },
    events: [{ ...plan.event, data: { ...plan.event.data } }],
  });
  if (!committed) throw new AppError('CONFLICT', 'The generation changed meanwhile (the retry may have started). Please look again.');
  return toStatusView(committed.video);
}
