import type { Video } from '@sora-monitor/db';
import { generationCostUsd, type DownloadFailedObservation, type DownloadedObservation } from '../domain';
import type { GenerationDeps } from './deps';

const THUMBNAIL_EXTENSIONS: Record<string, string> = { 'image/webp': 'webp', 'image/jpeg': 'jpg', 'image/png': 'png' };

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
): Promise<DownloadedObservation | DownloadFailedObservation> {
  const log = deps.logger.child({ videoId: video.id, jobId });
  let result = await deps.provider.download(jobId, 'video');
  // One immediate second try (after any retry-after, which the shared budget enforces): a refresh is a retrieve
  // plus a download, so against an upstream failing every other request the download would otherwise fail forever.
  if (result.kind === 'unavailable') result = await deps.provider.download(jobId, 'video');
  if (result.kind !== 'stream') {
    if (result.kind === 'unavailable') return { kind: 'download_failed', reason: result.message, retryable: true };
    const reason =
      result.kind === 'not_found'
        ? 'the video is no longer available from the video service (404)'
        : `the video service refused the download (${result.status}: ${result.message})`;
    return { kind: 'download_failed', reason, retryable: false };
  }

  let blob;
  try {
    blob = await deps.blobs.put(videoBlobKey(video.id, jobId), result.body, { expectedSize: result.contentLength });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log.warn({ err: error }, 'Video download interrupted; nothing was kept');
    return { kind: 'download_failed', reason: `the transfer was interrupted (${reason})`, retryable: true };
  }
  log.info({ size: blob.size, sha256: blob.sha256 }, 'Video stored');

  return {
    kind: 'downloaded',
    blob,
    thumbnailKey: await downloadThumbnail(deps, video.id, jobId),
    costUsd: generationCostUsd(video.model, video.size, video.seconds),
    completedAt,
    videoUrl: deps.settings.contentUrl(video.id),
  };
}

async function downloadThumbnail(deps: GenerationDeps, videoId: string, jobId: string): Promise<string | null> {
  const result = await deps.provider.download(jobId, 'thumbnail');
  if (result.kind !== 'stream') return null;
  const extension = THUMBNAIL_EXTENSIONS[result.contentType.split(';')[0]?.trim() ?? ''] ?? 'bin';
  try {
    const stored = await deps.blobs.put(`videos/${videoId}/${jobId}.thumbnail.${extension}`, result.body);
    return stored.key;
  } catch (error) {
    // A missing thumbnail never holds up a finished video.
    deps.logger.warn({ err: error, videoId, jobId }, 'Thumbnail download failed');
    return null;
  }
}
