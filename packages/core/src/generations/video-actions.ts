import { deleteVideoForUser, type Video } from '@sora-monitor/db';
import { AppError, assertDeletable, assertRetryable } from '../domain';
import type { GenerationDeps } from './deps';
import { editPrompt } from './edit-prompt';
import { startGeneration } from './start-generation';

/*
 * The owner's retry and delete of one video, shared by the single-video procedures and `videos.bulk`. The caller has
 * already loaded `video` scoped to its owner (and counted any rate limit), as both routers do before calling these.
 */

/** A new attempt for a failed or reset generation; with `prompt`, that prompt is stored first ("Edit prompt and retry"). */
export async function retryVideo(deps: GenerationDeps, video: Video, prompt?: string): Promise<Video> {
  assertRetryable({ status: video.soraGenerationStatus, hasGeneration: Boolean(video.currentGenerationId) });
  if (prompt !== undefined) await editPrompt(deps, video, prompt);
  return startGeneration(deps, video.userId, video.id);
}

/** Removes the video, its attempts and history (the row cascades) and then its stored files. */
export async function deleteVideo(deps: Pick<GenerationDeps, 'db' | 'blobs'>, video: Video): Promise<void> {
  assertDeletable(video.soraGenerationStatus);
  const deleted = await deleteVideoForUser(deps.db, video.userId, video.id);
  if (!deleted) throw new AppError('NOT_FOUND', 'Video not found');
  await deps.blobs.deletePrefix(`videos/${video.id}/`);
}
