import { getVideoForUser, listEventsForVideo, listGenerationsForVideo, type Video } from '@sora-monitor/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_STARTED_MESSAGE, RESET_SUCCESS_MESSAGE } from '../../src/domain';
import {
  expectTRPCError,
  pollStatus,
  startHarness,
  startVideo,
  waitUntil,
  type Harness,
  type TestUser,
} from './harness';

let h: Harness;
let ada: TestUser;

beforeAll(async () => {
  h = await startHarness();
  ada = await h.signUp('ada');
});
afterAll(() => h?.close());

const RESET_ANSWER = { success: true, message: 'Sora generation reset successfully. You can now retry.' };

async function row(videoId: string): Promise<Video> {
  const video = await getVideoForUser(h.db.db, ada.id, videoId);
  if (!video) throw new Error('video vanished');
  return video;
}

function expectCleared(video: Video) {
  expect(video).toMatchObject({
    soraGenerationStatus: 'not_started',
    soraJobId: null,
    soraStartedAt: null,
    soraErrorMessage: null,
    soraErrorCode: null,
    soraProgress: 0,
    leaseOwner: null,
    nextPollAt: null,
  });
}

describe('sora.reset', () => {
  it('resets a queued generation', async () => {
    const { video, started } = await startVideo(ada.caller, 'Queued for a long time [sim:duration=60000]');
    expect(started.status).toBe('queued');
    expect((await row(video.id)).soraStartedAt).not.toBeNull();

    expect(await ada.caller.sora.reset({ videoId: video.id })).toEqual(RESET_ANSWER);
    expectCleared(await row(video.id));
    const view = await ada.caller.sora.status({ videoId: video.id });
    expect(view).toMatchObject({
      status: 'not_started',
      jobId: null,
      startedAt: null,
      error: null,
      message: NOT_STARTED_MESSAGE,
    });

    const [event] = await listEventsForVideo(h.db.db, video.id);
    expect(event).toMatchObject({
      type: 'reset',
      actor: 'user',
      fromStatus: 'queued',
      toStatus: 'not_started',
      message: RESET_SUCCESS_MESSAGE,
    });
    const [attempt] = await listGenerationsForVideo(h.db.db, video.id);
    expect(attempt).toMatchObject({ status: 'failed', errorCode: 'reset' });
  });

  it('resets an in_progress (stuck) generation, and a late upstream answer cannot bring it back', async () => {
    const { video, started } = await startVideo(
      ada.caller,
      'Stuck forever [sim:stuck=30] [sim:duration=200]',
    );
    await waitUntil(
      () => ada.caller.sora.status({ videoId: video.id }),
      (view) => view.status === 'in_progress' && view.progress > 0,
    );

    expect(await ada.caller.sora.reset({ videoId: video.id })).toEqual(RESET_ANSWER);
    expectCleared(await row(video.id));

    // Not started: status answers from the database, never asking upstream about the abandoned job.
    const before = h.jobRequests(started.jobId!).length;
    expect((await ada.caller.sora.status({ videoId: video.id })).status).toBe('not_started');
    expect(h.jobRequests(started.jobId!)).toHaveLength(before);
  });

  it('resets a failed generation', async () => {
    const { video } = await startVideo(ada.caller, 'Fails [sim:fail=internal_error]');
    await pollStatus(ada.caller, video.id, ['failed']);
    expect((await row(video.id)).soraErrorMessage).toBeTruthy();

    expect(await ada.caller.sora.reset({ videoId: video.id })).toEqual(RESET_ANSWER);
    expectCleared(await row(video.id));
    const [event] = await listEventsForVideo(h.db.db, video.id);
    expect(event).toMatchObject({ type: 'reset', fromStatus: 'failed', toStatus: 'not_started' });
  });

  it('refuses to reset a completed generation (BAD_REQUEST "Cannot reset completed generation"), changing nothing', async () => {
    const { video } = await startVideo(ada.caller, 'Finishes quickly');
    await pollStatus(ada.caller, video.id, ['completed']);
    const before = await row(video.id);
    const eventsBefore = await listEventsForVideo(h.db.db, video.id);

    const { error } = await expectTRPCError(() => ada.caller.sora.reset({ videoId: video.id }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe('Cannot reset completed generation');
    expect(await row(video.id)).toEqual(before);
    expect(await listEventsForVideo(h.db.db, video.id)).toEqual(eventsBefore);
  });

  it("refuses another user's reset with NOT_FOUND and changes nothing", async () => {
    const { video } = await startVideo(ada.caller, 'Ada only [sim:duration=60000]');
    const before = await row(video.id);
    const mallory = await h.signUp('mallory');

    const { error } = await expectTRPCError(() => mallory.caller.sora.reset({ videoId: video.id }));
    expect(error.code).toBe('NOT_FOUND');
    expect(await row(video.id)).toEqual(before);
  });

  it('keeps an earlier completed video, its URL, completion time and cost when a later attempt is reset', async () => {
    const { video } = await startVideo(ada.caller, 'A first good take');
    const first = await pollStatus(ada.caller, video.id, ['completed']);
    const completed = await row(video.id);

    // A second attempt (allowed after completion), then reset while it is queued.
    const second = await ada.caller.sora.generate({ videoId: video.id });
    expect(second.status).toBe('queued');
    expect(second.jobId).not.toBe(first.jobId);
    expect(await ada.caller.sora.reset({ videoId: video.id })).toEqual(RESET_ANSWER);

    const after = await row(video.id);
    expectCleared(after);
    expect(after).toMatchObject({
      soraVideoUrl: completed.soraVideoUrl,
      soraCompletedAt: completed.soraCompletedAt,
      soraGenerationCost: completed.soraGenerationCost,
      blobKey: completed.blobKey,
      blobSha256: completed.blobSha256,
    });
    const view = await ada.caller.sora.status({ videoId: video.id });
    expect(view).toMatchObject({
      status: 'not_started',
      videoUrl: first.videoUrl,
      completedAt: first.completedAt,
      cost: first.cost,
    });
  });

  it('allows a new generation after a reset: a new attempt, a new upstream job, followed to completion', async () => {
    const { video, started } = await startVideo(ada.caller, 'Try again [sim:duration=60000]');
    await ada.caller.sora.reset({ videoId: video.id });

    const retried = await ada.caller.sora.generate({ videoId: video.id });
    expect(retried.status).toBe('queued');
    expect(retried.jobId).toMatch(/^video_/);
    expect(retried.jobId).not.toBe(started.jobId);

    const attempts = await listGenerationsForVideo(h.db.db, video.id);
    expect(attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.jobId])).toEqual([
      [2, 'queued', retried.jobId],
      [1, 'failed', started.jobId],
    ]);
    const creates = h.sim
      .requests()
      .filter((entry) => entry.method === 'POST' && entry.path === '/v1/videos');
    expect(creates.filter((entry) => entry.videoId === retried.jobId)).toHaveLength(1);
  });

  it('follows a retry after a reset to completion', async () => {
    const video = await ada.caller.videos.create({ prompt: 'A plain prompt that works' });
    await ada.caller.sora.generate({ videoId: video.id });
    expect(await ada.caller.sora.reset({ videoId: video.id })).toEqual(RESET_ANSWER);
    await ada.caller.sora.generate({ videoId: video.id });
    const done = await pollStatus(ada.caller, video.id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    const attempts = await listGenerationsForVideo(h.db.db, video.id);
    expect(attempts.map((attempt) => attempt.status)).toEqual(['completed', 'failed']);
  });
});
