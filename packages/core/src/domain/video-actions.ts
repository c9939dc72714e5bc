import { AppError, type AppErrorCode } from './errors';
import { isActive, type GenerationStatus } from './status';

/*
 * What may be done to a video by its owner (one at a time or several at once), and how the outcome of several is told.
 * The single-video procedures and `videos.bulk` both go through these rules, so they can never disagree.
 */

/** Actions that can be applied to several videos at once from the list. */
export const BULK_ACTIONS = ['retry', 'reset', 'delete'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** At most this many videos per bulk request: one request should not hold a connection for minutes. */
export const MAX_BULK_VIDEOS = 100;

export const DELETE_WHILE_ACTIVE_MESSAGE = 'This video is still generating. Reset it first, then delete it.';
export const RETRY_COMPLETED_MESSAGE = 'This video is already complete; there is nothing to retry.';
export const RETRY_NEVER_STARTED_MESSAGE = 'This video has not been generated yet; start a generation instead.';

/** A retry is a new attempt for a generation that ended without a video (failed) or was reset; nothing else. */
export function assertRetryable(video: { status: GenerationStatus; hasGeneration: boolean }): void {
  if (video.status === 'completed') throw new AppError('BAD_REQUEST', RETRY_COMPLETED_MESSAGE);
  if (video.status === 'not_started' && !video.hasGeneration) throw new AppError('BAD_REQUEST', RETRY_NEVER_STARTED_MESSAGE);
}

/** A running generation would keep writing to a video that no longer exists: it is reset first. */
export function assertDeletable(status: GenerationStatus): void {
  if (isActive(status)) throw new AppError('CONFLICT', DELETE_WHILE_ACTIVE_MESSAGE);
}

/** What became of one video of a bulk request. `title` is null when the video is not the caller's (or not there). */
export type BulkOutcome =
  | { videoId: string; title: string | null; done: true }
  | { videoId: string; title: string | null; done: false; code: AppErrorCode; message: string };

const DONE_VERB: Record<BulkAction, string> = { retry: 'retried', reset: 'reset', delete: 'deleted' };

/** The summary in parts: "2 retried; 1 refused" and one line per refused video naming it and the reason. */
export function bulkOutcomeLines(
  action: BulkAction,
  outcomes: readonly BulkOutcome[],
): { headline: string; refusals: { videoId: string; text: string }[] } {
  const refused = outcomes.filter((outcome) => !outcome.done);
  const done = outcomes.length - refused.length;
  return {
    headline: refused.length > 0 ? `${done} ${DONE_VERB[action]}; ${refused.length} refused` : `${done} ${DONE_VERB[action]}`,
    refusals: refused.map((outcome) => ({
      videoId: outcome.videoId,
      text: `${outcome.title === null ? `video ${outcome.videoId}` : `“${outcome.title}”`}: ${withoutFinalStop(outcome.message)}`,
    })),
  };
}

/**
 * One sentence for the whole request: how many were done, then each refusal with its video and reason, e.g.
 * `2 retried; 1 refused: “Cat video”: This video is still generating. Reset it first, then delete it.`
 */
export function summarizeBulkOutcomes(action: BulkAction, outcomes: readonly BulkOutcome[]): string {
  const { headline, refusals } = bulkOutcomeLines(action, outcomes);
  return refusals.length > 0 ? `${headline}: ${refusals.map((refusal) => refusal.text).join('; ')}.` : `${headline}.`;
}

function withoutFinalStop(message: string): string {
  return message.replace(/\.\s*$/, '');
}
