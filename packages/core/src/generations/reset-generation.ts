import { getVideoForUser } from '@sora-monitor/db';
import { AppError, planReset } from '../domain';
import { commitPlannedChange } from './commit-plan';
import type { GenerationDeps } from './deps';
import { generationStateFromVideo } from './video-state';

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
  const committed = await commitPlannedChange(
    deps.db,
    { video, actor: 'user', expect: { status: state.status, jobId: state.jobId } },
    plan,
  );
  if (!committed) throw new AppError('CONFLICT', 'The generation changed while it was being reset. Please try again.');
  return { success: true, message: plan.message };
}
