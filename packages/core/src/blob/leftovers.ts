import { findReferencedBlobKeys, type Database } from '@sora-monitor/db';
import type { Logger } from 'pino';
import type { BlobStore } from './types';

/** Where every video's blobs live (`videos/<video id>/<job id>.mp4` and its thumbnail). */
const VIDEO_PREFIX = 'videos/';

export interface LeftoverSweepDeps {
  db: Database;
  blobs: BlobStore;
  logger: Logger;
  /**
   * Only what is older than this is touched: longer than any download can take, so a write in progress, or a video
   * stored a moment before its row is committed, is never mistaken for a leftover.
   */
  minAgeMs: number;
}

export interface LeftoverSweepResult {
  /** Temporary files or multipart uploads of writes that never finished. */
  incomplete: number;
  /** Stored blobs no video row points to (a crash between storing and committing, a reset, a failed delete). */
  orphans: number;
}

/** Removes unfinished writes and unreferenced blobs older than `minAgeMs`. */
export async function sweepBlobLeftovers(deps: LeftoverSweepDeps, now = new Date()): Promise<LeftoverSweepResult> {
  const before = new Date(now.getTime() - deps.minAgeMs);
  const incomplete = await deps.blobs.removeIncomplete(before);
  let orphans = 0;
  for await (const page of deps.blobs.list(VIDEO_PREFIX)) {
    const old = page.filter((blob) => blob.modifiedAt < before).map((blob) => blob.key);
    if (old.length === 0) continue;
    const referenced = await findReferencedBlobKeys(deps.db, old);
    for (const key of old) {
      if (referenced.has(key)) continue;
      await deps.blobs.delete(key);
      orphans += 1;
    }
  }
  if (incomplete + orphans > 0) deps.logger.info({ incomplete, orphans }, 'Removed blob store leftovers');
  return { incomplete, orphans };
}

/**
 * Runs the sweep now (start-up) and then every half `minAgeMs`, one run at a time. A failed run is logged and the
 * next one tries again; stop() waits for a run in progress.
 */
export function startLeftoverSweeper(deps: LeftoverSweepDeps): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const run = () => {
    running = sweepBlobLeftovers(deps).catch((error: unknown) => deps.logger.warn({ err: error }, 'Blob leftovers sweep failed'));
    void running.then(() => {
      if (!stopped) timer = setTimeout(run, Math.max(1_000, Math.floor(deps.minAgeMs / 2)));
    });
  };
  run();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
