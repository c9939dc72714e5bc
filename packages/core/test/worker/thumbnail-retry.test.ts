import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveUntil, startWorkerHarness, type WorkerHarness } from './harness';

/*
 * The worker tries a missing thumbnail again on its sweep, so "My videos" gets the preview without anyone opening the
 * video: the real SDK against the simulator, whose [sim:thumbnail-503=1] fails the first thumbnail download.
 */

let h: WorkerHarness;

beforeAll(async () => {
  h = await startWorkerHarness({ settings: { thumbnailRetryBaseMs: 50 } });
});
afterAll(() => h?.close());

describe('the poller and a missing thumbnail', () => {
  it('completes the video without it, then fetches it on a later sweep', async () => {
    // Every pass sweeps (interval 0), as a long-running worker does once per sweep interval.
    const poller = h.poller({ sweepIntervalMs: 0 });
    const started = await h.startVideo('A harbour crane [sim:thumbnail-503=1]');

    const completed = await driveUntil(h, poller, () => h.video(started.id), (row) => row.soraGenerationStatus === 'completed');
    // Completed in the pass that downloaded it; the thumbnail may already have come on that pass's sweep.
    expect(completed.blobKey).not.toBeNull();

    const withThumbnail = await driveUntil(h, poller, () => h.video(started.id), (row) => row.thumbnailBlobKey !== null);
    expect(withThumbnail).toMatchObject({ soraGenerationStatus: 'completed', nextPollAt: null, pollFailures: 0 });
    const contentRequests = h.jobRequests(started.soraJobId!).filter((entry) => entry.path.endsWith('/content'));
    // The video once, the thumbnail twice: refused (503), then fetched.
    expect(contentRequests.map((entry) => entry.status)).toEqual([200, 503, 200]);
    expect((await h.events(started.id)).map((event) => event.type)).toContain('thumbnail_stored');
  });
});
