import { getVideoForUser } from '@sora-monitor/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THUMBNAIL_MAX_TRIES } from '../../src/domain';
import { THUMBNAIL_STORED_MESSAGE } from '../../src/generations';
import { pollStatus, startHarness, startVideo, waitUntil, type Harness, type TestUser } from '../router/harness';

/*
 * A completed video whose thumbnail could not be fetched (the simulator answers 503 for it) is tried again later,
 * through the status read and the row lease, a bounded number of times: the real SDK against the simulator.
 */

const BASE_MS = 100;
let h: Harness;
let ada: TestUser;

beforeAll(async () => {
  h = await startHarness({ settings: { thumbnailRetryBaseMs: BASE_MS } });
  ada = await h.signUp('ada');
});
afterAll(() => h?.close());

// The video content is asked for once (the marker spares it); every other content request is for the thumbnail.
const thumbnailRequests = (jobId: string) =>
  h.jobRequests(jobId).filter((entry) => entry.method === 'GET' && entry.path.endsWith('/content')).slice(1);
const row = (videoId: string) => getVideoForUser(h.db.db, ada.id, videoId);

describe('a thumbnail that could not be fetched', () => {
  it('completes the video without a preview, then a later status read fetches it', async () => {
    const { video } = await startVideo(ada.caller, 'A pier at dusk [sim:thumbnail-503=1]');
    // The status read that sees the job finished stores it in the background; watched from the row, so no later status
    // read (which would try the thumbnail again once due) runs before the first look.
    await waitUntil(() => ada.caller.sora.status({ videoId: video.id }), (view) => view.progress === 100 || view.status !== 'in_progress' && view.status !== 'queued');
    await waitUntil(() => row(video.id), (current) => current?.soraGenerationStatus === 'completed' || current?.soraGenerationStatus === 'failed');
    const done = (await ada.caller.videos.get({ videoId: video.id })).generation;

    expect(done).toMatchObject({ status: 'completed', thumbnailUrl: null });
    expect(done.videoUrl).not.toBeNull();
    expect(thumbnailRequests(done.jobId!)).toHaveLength(1);
    const waiting = await row(video.id);
    expect(waiting).toMatchObject({ thumbnailBlobKey: null, pollFailures: 1 });
    expect(waiting?.nextPollAt).toBeInstanceOf(Date);

    const withPreview = await waitUntil(() => ada.caller.sora.status({ videoId: video.id }), (view) => view.thumbnailUrl !== null, { timeoutMs: 10_000 });
    expect(withPreview.thumbnailUrl).toBe(`${done.videoUrl}?variant=thumbnail`);
    expect(thumbnailRequests(done.jobId!)).toHaveLength(2);
    const stored = await row(video.id);
    expect(stored).toMatchObject({ nextPollAt: null, pollFailures: 0 });
    const history = await ada.caller.sora.history({ videoId: video.id });
    expect(history.events.filter((event) => event.type === 'thumbnail_stored')).toMatchObject([{ message: THUMBNAIL_STORED_MESSAGE }]);

    // Nothing more is asked once it is there.
    await ada.caller.sora.status({ videoId: video.id });
    expect(thumbnailRequests(done.jobId!)).toHaveLength(2);
  });

  it(`gives up after ${THUMBNAIL_MAX_TRIES} tries in all, and the video stays complete without a preview`, async () => {
    const { video } = await startVideo(ada.caller, 'A pier at night [sim:thumbnail-503=100]');
    const done = await pollStatus(ada.caller, video.id, ['completed', 'failed']);
    expect(done.status).toBe('completed');

    await waitUntil(
      async () => {
        await ada.caller.sora.status({ videoId: video.id });
        return row(video.id);
      },
      (current) => current?.nextPollAt === null,
      { timeoutMs: 15_000 },
    );
    expect(thumbnailRequests(done.jobId!)).toHaveLength(THUMBNAIL_MAX_TRIES);
    const after = await ada.caller.sora.status({ videoId: video.id });
    expect(after).toMatchObject({ status: 'completed', thumbnailUrl: null });
    expect(thumbnailRequests(done.jobId!)).toHaveLength(THUMBNAIL_MAX_TRIES);
  });

  it('a thumbnail that came at once plans no later try', async () => {
    const { video } = await startVideo(ada.caller, 'A pier at noon');
    const done = await pollStatus(ada.caller, video.id, ['completed', 'failed']);
    expect(done.thumbnailUrl).not.toBeNull();
    expect(await row(video.id)).toMatchObject({ nextPollAt: null, pollFailures: 0 });
  });
});
