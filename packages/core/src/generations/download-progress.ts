import type { Video } from '@sora-monitor/db';
import { commitChange } from './commit-change';
import { downloadProgressEvent, shouldRecordDownloadProgress, type DownloadProgress } from '../domain';
import type { GenerationDeps } from './deps';

export interface DownloadProgressRecorder {
  /** Called with the bytes stored so far; records them at a coarse cadence, never blocking the transfer. */
  update(progress: DownloadProgress): void;
  /** Waits for a record in flight (so none lands after the download's own result). */
  settle(): Promise<void>;
}

/**
 * Makes a slow download visible: the bytes stored so far become `download_progress` audit events (through the one
 * commit path, guarded by the lease, so listeners hear of them like any change), at most one write in flight.
 */
export function createDownloadProgressRecorder(
  deps: Pick<GenerationDeps, 'db' | 'logger'>,
  video: Pick<Video, 'id' | 'userId' | 'currentGenerationId' | 'soraJobId'>,
  owner: string,
): DownloadProgressRecorder {
  let last: { at: number; bytes: number } | null = null;
  let inFlight: Promise<void> | null = null;
  return {
    update(progress) {
      const now = Date.now();
      if (inFlight || !shouldRecordDownloadProgress(last, progress, now)) return;
      last = { at: now, bytes: progress.bytes };
      const event = downloadProgressEvent(progress);
      inFlight = commitChange(deps.db, {
        videoId: video.id,
        userId: video.userId,
        generationId: video.currentGenerationId,
        actor: 'poller',
        expect: { status: 'in_progress', jobId: video.soraJobId, leaseOwner: owner },
        set: {},
        events: [{ ...event, data: { ...event.data } }],
      })
        .then(() => undefined)
        .catch((error: unknown) => deps.logger.warn({ err: error, videoId: video.id }, 'Could not record download progress'))
        .finally(() => {
          inFlight = null;
        });
    },
    async settle() {
      await inFlight;
    },
  };
}

/** The same stream, counting the bytes that pass through it. */
export function countingStream(body: ReadableStream<Uint8Array>, onBytes: (total: number) => void): ReadableStream<Uint8Array> {
  let total = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        controller.enqueue(chunk);
        onBytes(total);
      },
    }),
  );
}
