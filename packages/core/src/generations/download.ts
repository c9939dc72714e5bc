import type { Video } from '@sora-monitor/db';
import {
  IMAGE_SIGNATURE_LENGTH,
  IMAGE_TYPES,
  detectImageType,
  generationCostUsd,
  thumbnailRetryAt,
  type DownloadFailedObservation,
  type ThumbnailFetch,
  type DownloadedObservation,
} from '../domain';
import type { GenerationDeps } from './deps';
import { countingStream, type DownloadProgressRecorder } from './download-progress';
import { peekStream } from './peek-stream';

function downloadTookTooLong(timeoutMs: number): string {
  const limit = timeoutMs >= 120_000 ? `${Math.round(timeoutMs / 60_000)} min` : `${Math.round(timeoutMs / 1000)} s`;
  return `the download took longer than ${limit} (DOWNLOAD_TIMEOUT_MS)`;
}

export function videoBlobKey(videoId: string, jobId: string): string {
  return `videos/${videoId}/${jobId}.mp4`;
}

/**
 * Streams a finished job's video (and, best effort, its thumbnail) into the blob store. Never buffers the file;
 * a failure leaves nothing behind and says whether trying again can help.
 */
export async function downloadFinishedVideo(
  deps: GenerationDeps,
  video: Video,
  jobId: string,
  completedAt: Date,
  now: Date,
  progress?: DownloadProgressRecorder,
): Promise<DownloadedObservation | DownloadFailedObservation> {
  const log = deps.logger.child({ videoId: video.id, jobId });
  // A whole download, body included, has a deadline: a transfer that stalls while connected would otherwise hold its
  // lease (renewed by the heartbeat) for ever, and the leftovers sweep relies on no write outliving it.
  const timeoutMs = deps.settings.downloadTimeoutMs;
  const deadline = AbortSignal.timeout(timeoutMs);
  let result = await deps.provider.download(jobId, 'video', { signal: deadline });
  // One immediate second try (after any retry-after, which the shared budget enforces): a refresh is a retrieve
  // plus a download, so against an upstream failing every other request the download would otherwise fail forever.
  if (result.kind === 'unavailable' && !deadline.aborted) result = await deps.provider.download(jobId, 'video', { signal: deadline });
  if (deadline.aborted) return { kind: 'download_failed', reason: downloadTookTooLong(timeoutMs), retryable: true };
  if (result.kind !== 'stream') {
    if (result.kind === 'unavailable') return { kind: 'download_failed', reason: result.message, retryable: true };
    const reason =
      result.kind === 'not_found'
        ? 'the video is no longer available from the video service (404)'
        : `the video service refused the download (${result.status}: ${result.message})`;
    return { kind: 'download_failed', reason, retryable: false };
  }

  const totalBytes = result.contentLength;
  const body = progress ? countingStream(result.body, (bytes) => progress.update({ bytes, totalBytes })) : result.body;
  let blob;
  try {
    blob = await deps.blobs.put(videoBlobKey(video.id, jobId), body, { expectedSize: result.contentLength });
  } catch (error) {
    const reason = deadline.aborted ? downloadTookTooLong(timeoutMs) : `the transfer was interrupted (${error instanceof Error ? error.message : String(error)})`;
    log.warn({ err: error }, 'Video download interrupted; nothing was kept');
    return { kind: 'download_failed', reason, retryable: true };
  } finally {
    await progress?.settle();
  }
  log.info({ size: blob.size, sha256: blob.sha256 }, 'Video stored');

  const thumbnail = await downloadThumbnail(deps, video.id, jobId);
  return {
    kind: 'downloaded',
    blob,
    thumbnailKey: thumbnail.kind === 'stored' ? thumbnail.key : null,
    thumbnailRetryAt: thumbnailRetryAt(thumbnail, 1, now, video.upstreamExpiresAt, deps.settings.thumbnailRetryBaseMs),
    costUsd: generationCostUsd(video.model, video.size, video.seconds, deps.settings.catalog),
    completedAt,
    videoUrl: deps.settings.contentUrl(video.id),
  };
}

/**
 * Stores the thumbnail only when its bytes are an image (magic number of the first bytes, not the Content-Type: LiteLLM
 * ignores `variant` and answers the MP4 again, labelled video/mp4 or even image/*). Anything else is dropped after its
 * first chunk, so a whole second video is never downloaded; the video then simply has no preview. A service that was
 * unavailable, or a transfer that broke, is worth another try later (`retryable`).
 */
export async function downloadThumbnail(deps: GenerationDeps, videoId: string, jobId: string): Promise<ThumbnailFetch> {
  const result = await deps.provider.download(jobId, 'thumbnail');
  if (result.kind !== 'stream') return { kind: 'missing', retryable: result.kind === 'unavailable' };
  const log = deps.logger.child({ videoId, jobId });
  try {
    const { head, body } = await peekStream(result.body, IMAGE_SIGNATURE_LENGTH);
    const type = detectImageType(head);
    if (!type) {
      await body.cancel();
      log.info({ contentType: result.contentType }, 'The thumbnail the video service sent is not an image; keeping none');
      return { kind: 'missing', retryable: false };
    }
    const stored = await deps.blobs.put(`videos/${videoId}/${jobId}.thumbnail.${IMAGE_TYPES[type].extension}`, body);
    return { kind: 'stored', key: stored.key };
  } catch (error) {
    // A missing thumbnail never holds up a finished video.
    log.warn({ err: error }, 'Thumbnail download failed');
    return { kind: 'missing', retryable: true };
  }
}
