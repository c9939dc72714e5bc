import { commitVideoChange, getVideoForUser } from '@sora-monitor/db';
import { AppError, isActive, planReset } from '../domain';
import type { GenerationDeps } from './deps';
import { generationStateFromVideo, videoColumnsFromPatch } from './video-state';

/**
 * The seed's reset: refused for a completed generation; otherwise clears status, job id, start time and error so a
 * new generation can start, keeping any earlier finished video, its URL, completion time and cost.
 */
export async function resetGeneration(
  deps: Pick<GenerationDeps, 'db'>,
  userId: string,
  videoId: string,
): Promise<{ success: true; message: string }> {
  const video = await getVideoForUser(deps.db, userId, videoId);
  if (!video) throw new AppError('NOT_FOUND', 'Video not found');
  const state = generationStateFromVideo(video);
  const plan = planReset(state);
  const abandoned = isActive(state.status);

  const committed = await commitVideoChange(deps.db, {
    videoId,
    userId,
    generationId: video.currentGenerationId,
    actor: 'user',
    expect: { status: state.status, jobId: state.jobId },
    set: { ...videoColumnsFromPatch(plan.patch), lastPollError: null, lastPolledAt: null, autoRetryAt: null },
    // The abandoned attempt stays in the history, marked as ended by the reset.
    generationSet: abandoned ? { status: 'failed', errorCode: 'reset', errorMessage: 'Reset by the user' } : {},
    events: [{ ...plan.event, data: plan.event.data ? { ...plan.event.data } : null }],
  });
  if (!committed) throw new AppError('CONFLICT', 'The generation changed while it was being reset. Please try again.');
  return { success: true, message: plan.message };
}
