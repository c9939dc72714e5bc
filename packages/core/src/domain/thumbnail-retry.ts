import type { GenerationStatus } from './status';

/** Tries a missing thumbnail gets in all: the one with the video, then later ones with a doubling delay. */
export const THUMBNAIL_MAX_TRIES = 4;

/** How one try to fetch a finished video's thumbnail went. */
export type ThumbnailFetch =
  | { kind: 'stored'; key: string }
  /** `retryable`: the service was unavailable or the transfer broke, so a later try may work. */
  | { kind: 'missing'; retryable: boolean };

/**
 * When to try a missing thumbnail again after `tries` tries, or null: it is not worth it (not an image, refused,
 * gone), the tries are used up, or the service will have deleted the video by then (`expiresAt`).
 */
export function thumbnailRetryAt(
  fetch: ThumbnailFetch,
  tries: number,
  now: Date,
  expiresAt: Date | null,
  baseMs: number,
): Date | null {
  if (fetch.kind === 'stored' || !fetch.retryable || tries >= THUMBNAIL_MAX_TRIES) return null;
  const at = new Date(now.getTime() + baseMs * 2 ** Math.max(0, tries - 1));
  return expiresAt !== null && at.getTime() >= expiresAt.getTime() ? null : at;
}

/**
 * The columns a later try writes on a completed video. While a thumbnail is missing and another try is planned,
 * `nextPollAt` says when and `pollFailures` counts the tries so far (a completed video has no other use for them).
 */
export function planThumbnailRetry(
  state: { pollFailures: number; upstreamExpiresAt: Date | null },
  fetch: ThumbnailFetch,
  now: Date,
  baseMs: number,
): { thumbnailKey?: string; nextPollAt: Date | null; pollFailures: number } {
  if (fetch.kind === 'stored') return { thumbnailKey: fetch.key, nextPollAt: null, pollFailures: 0 };
  const tries = state.pollFailures + 1;
  return { nextPollAt: thumbnailRetryAt(fetch, tries, now, state.upstreamExpiresAt, baseMs), pollFailures: tries };
}

/** Whether a video is waiting for another thumbnail try that is due at `now` (the caller's claim checks it again). */
export function isThumbnailRetryDue(
  video: { status: GenerationStatus; thumbnailKey: string | null; nextPollAt: Date | null; upstreamExpiresAt: Date | null },
  now: Date,
): boolean {
  return (
    video.status === 'completed' &&
    video.thumbnailKey === null &&
    video.nextPollAt !== null &&
    video.nextPollAt.getTime() <= now.getTime() &&
    (video.upstreamExpiresAt === null || now.getTime() < video.upstreamExpiresAt.getTime())
  );
}
