import type { Video } from '@sora-monitor/db';
import { commitChange } from './commit-change';
import { AppError, planPromptEdit } from '../domain';
import type { GenerationDeps } from './deps';

/**
 * Stores a new prompt for the video's next attempt, with its audit event, guarded like every change: if the
 * generation moved meanwhile (an automatic retry started), nothing is written and the caller hears CONFLICT.
 */
export async function editPrompt(deps: Pick<GenerationDeps, 'db'>, video: Video, prompt: string): Promise<Video> {
  const plan = planPromptEdit({ status: video.soraGenerationStatus, prompt: video.prompt }, prompt);
  if (!plan) return video;
  const committed = await commitChange(deps.db, {
    videoId: video.id,
    userId: video.userId,
    generationId: video.currentGenerationId,
    actor: 'user',
    expect: { status: video.soraGenerationStatus, jobId: video.soraJobId },
    set: { prompt: plan.prompt },
    events: [{ ...plan.event, data: { ...plan.event.data } }],
  });
  if (!committed) throw new AppError('CONFLICT', 'The generation changed while the prompt was being edited. Please try again.');
  return committed.video;
}
