import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { getVideoForUser, listEventsForVideo, listGenerationsForVideo } from '@sora-monitor/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPLETED_MESSAGE,
  JOB_NOT_FOUND_MESSAGE,
  QUEUED_MESSAGE,
  RATE_LIMITED_MESSAGE,
  TEMPORARILY_UNAVAILABLE_MESSAGE,
  generatingMessage,
} from '../../src/domain';
import { toStatusView } from '../../src/generations';
import { pollStatus, startHarness, startVideo, waitUntil, type Harness, type TestUser } from './harness';

let h: Harness;
let ada: TestUser;
/** Moves the simulator's clock forward, so a test can skip ahead in a job's timeline without waiting. */
let simClockOffsetMs = 0;

beforeAll(async () => {
  h = await startHarness({ simulator: { now: () => Date.now() + simClockOffsetMs } });
  ada = await h.signUp('ada');
});
afterAll(() => h?.close());

const gets = (jobId: string) =>
  h.jobRequests(jobId).filter((entry) => entry.method === 'GET' && entry.path === `/v1/videos/${jobId}`);

async function sha256Of(bytes: Uint8Array) {
  return createHash('sha256').update(bytes).digest('hex');
}

async function upstreamContent(jobId: string): Promise<Buffer> {
  const response = await fetch(`${h.sim.url}/videos/${jobId}/content`, {
    headers: { authorization: `Bearer ${h.sim.apiKey}` },
  });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe('sora.status', () => {
  it('answers a queued generation from upstream: queued, with the queued message', async () => {
    const { video, started } = await startVideo(ada.caller, 'A lighthouse at dusk [sim:duration=60000]');
    expect(started).toMatchObject({ status: 'queued', progress: 0, error: null, videoUrl: null });
    expect(started.jobId).toMatch(/^video_/);

    const view = await ada.caller.sora.status({ videoId: video.id });
    expect(view).toMatchObject({
      videoId: video.id,
      status: 'queued',
      progress: 0,
      error: null,
      videoUrl: null,
      message: QUEUED_MESSAGE,
    });
    expect(view.temporarilyUnavailable).toBe(false);
    expect(Number.isNaN(Date.parse(view.updatedAt))).toBe(false);
    expect(gets(started.jobId!)).toHaveLength(1);
  });

  it('answers an in_progress generation with its progress and message', async () => {
    const { video } = await startVideo(
      ada.caller,
      'A slow pan over a canyon [sim:stuck=40] [sim:duration=200]',
    );
    const view = await waitUntil(
      () => ada.caller.sora.status({ videoId: video.id }),
      (v) => v.status === 'in_progress' && v.progress > 0,
    );
    expect(view.progress).toBeLessThanOrEqual(40);
    expect(view.message).toBe(generatingMessage(view.progress));
    expect(view).toMatchObject({ error: null, videoUrl: null, temporarilyUnavailable: false });

    // Stuck upstream at 40%: it stays in_progress, progress never goes backwards.
    const later = await waitUntil(
      () => ada.caller.sora.status({ videoId: video.id }),
      (v) => v.progress === 40,
    );
    expect(later.status).toBe('in_progress');
  });

  it('answers a completed generation from the database with zero upstream calls', async () => {
    const { video, started } = await startVideo(ada.caller, 'A cat surfing a wave');
    const done = await pollStatus(ada.caller, video.id, ['completed', 'failed']);
    expect(done).toMatchObject({
      status: 'completed',
      progress: 100,
      error: null,
      message: COMPLETED_MESSAGE,
      videoUrl: `/api/videos/${video.id}/content`,
      cost: 0.4,
    });
    expect(done.completedAt).not.toBeNull();

    const before = h.jobRequests(started.jobId!).length;
    const answers = await Promise.all([1, 2, 3].map(() => ada.caller.sora.status({ videoId: video.id })));
    for (const answer of answers) expect(answer).toEqual(done);
    expect(h.jobRequests(started.jobId!)).toHaveLength(before);
  });

  it('answers a failed generation with the upstream error, then from the database only', async () => {
    const { video, started } = await startVideo(
      ada.caller,
      'Something forbidden [sim:fail=moderation_blocked]',
    );
    const failed = await pollStatus(ada.caller, video.id, ['failed', 'completed']);
    expect(failed).toMatchObject({
      status: 'failed',
      error: 'Your request was blocked by our moderation system.',
      errorCode: 'moderation_blocked',
      message: 'Generation failed: Your request was blocked by our moderation system.',
      videoUrl: null,
    });

    const before = h.jobRequests(started.jobId!).length;
    expect(await ada.caller.sora.status({ videoId: video.id })).toEqual(failed);
    expect(h.jobRequests(started.jobId!)).toHaveLength(before);
  });

  it('marks a job upstream no longer knows (404) as failed with "Job not found - may have expired"', async () => {
    const { video, started } = await startVideo(
      ada.caller,
      'An expiring job [sim:expire-after=1] [sim:duration=60000]',
    );
    expect((await ada.caller.sora.status({ videoId: video.id })).status).toBe('queued');

    const gone = await ada.caller.sora.status({ videoId: video.id });
    expect(gone).toMatchObject({
      status: 'failed',
      error: JOB_NOT_FOUND_MESSAGE,
      errorCode: 'job_not_found',
    });
    expect(gone.error).toBe('Job not found - may have expired');
    expect(gets(started.jobId!).map((entry) => entry.status)).toEqual([200, 404]);

    const events = await listEventsForVideo(h.db.db, video.id);
    expect(events[0]).toMatchObject({ type: 'status_changed', fromStatus: 'queued', toStatus: 'failed' });
  });

  it('keeps the status unchanged while upstream answers 503, says it is temporarily unavailable, never fails', async () => {
    const { video, started } = await startVideo(
      ada.caller,
      'Flapping upstream [sim:flap-503] [sim:duration=60000]',
    );
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const view = await ada.caller.sora.status({ videoId: video.id });
      const unavailable = i % 2 === 0; // the simulator answers 503 to the 1st, 3rd, 5th request on the job
      expect(view.status).toBe('queued');
      expect(view.error).toBeNull();
      expect(view.temporarilyUnavailable).toBe(unavailable);
      if (unavailable) {
        expect(view.message).toBe(TEMPORARILY_UNAVAILABLE_MESSAGE);
        expect(view.message).toMatch(/temporarily unavailable/);
      } else {
        expect(view.message).toBe(QUEUED_MESSAGE);
      }
    }
    statuses.push(...gets(started.jobId!).map((entry) => entry.status));
    expect(statuses).toEqual([503, 200, 503, 200, 503, 200]);

    const row = await getVideoForUser(h.db.db, ada.id, video.id);
    expect(row).toMatchObject({ soraGenerationStatus: 'queued', soraErrorMessage: null, pollFailures: 0 });
    const events = await listEventsForVideo(h.db.db, video.id);
    expect(events.some((event) => event.toStatus === 'failed')).toBe(false);
  });

  it('treats 429 like unavailability, called a rate limit: unchanged, counted in pollFailures, next check planned', async () => {
    const { video } = await startVideo(ada.caller, 'Rate limited [sim:429-burst=3] [sim:duration=60000]');
    for (let i = 1; i <= 3; i++) {
      const view = await ada.caller.sora.status({ videoId: video.id });
      expect(view).toMatchObject({
        status: 'queued',
        temporarilyUnavailable: true,
        rateLimited: true,
        message: RATE_LIMITED_MESSAGE,
      });
      expect(view.nextCheckAt).not.toBeNull();
      expect((await getVideoForUser(h.db.db, ada.id, video.id))?.pollFailures).toBe(i);
    }
    const recovered = await ada.caller.sora.status({ videoId: video.id });
    expect(recovered).toMatchObject({
      status: 'queued',
      temporarilyUnavailable: false,
      message: QUEUED_MESSAGE,
    });
    expect((await getVideoForUser(h.db.db, ada.id, video.id))?.pollFailures).toBe(0);
  });

  it('keeps the status while upstream reports an unknown status, says what it reports, and logs it once', async () => {
    const { video, started } = await startVideo(
      ada.caller,
      'Odd status [sim:unknown-status] [sim:duration=60000]',
    );
    const reported =
      "The video service reports 'preprocessing', a status this app does not recognise; your video is still being tracked.";
    // Upstream says "preprocessing" for the first 30% of the job (18 s here).
    for (let i = 0; i < 3; i++) {
      const view = await ada.caller.sora.status({ videoId: video.id });
      expect(view).toMatchObject({
        status: 'queued',
        error: null,
        message: reported,
        temporarilyUnavailable: false,
      });
    }
    expect(gets(started.jobId!).map((entry) => entry.status)).toEqual([200, 200, 200]);
    // Three polls, one warning and one audit event: the note on the row says it was already reported.
    const warnings = h.logs.filter(
      (entry) => entry.videoId === video.id && entry.upstreamStatus !== undefined,
    );
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 40,
        videoId: video.id,
        jobId: started.jobId,
        upstreamStatus: 'preprocessing',
      }),
    ]);
    const events = await listEventsForVideo(h.db.db, video.id);
    expect(events.every((event) => event.toStatus !== 'failed')).toBe(true);
    expect(events.filter((event) => event.type === 'upstream_status_unknown')).toEqual([
      expect.objectContaining({
        fromStatus: 'queued',
        toStatus: 'queued',
        message: reported,
        data: { upstreamStatus: 'preprocessing' },
      }),
    ]);
    // Built from the row alone (as when the state is fresh or another instance holds the lease): the same message.
    const row = await getVideoForUser(h.db.db, ada.id, video.id);
    expect(toStatusView(row!).message).toBe(reported);

    // Once upstream reports a known status again, tracking carries on.
    simClockOffsetMs += 30_000;
    const resumed = await ada.caller.sora.status({ videoId: video.id });
    expect(resumed).toMatchObject({ status: 'in_progress', error: null });
    expect(resumed.progress).toBeGreaterThan(0);
    expect(resumed.message).toMatch(/^Generating your video/);
  });

  it('downloads the finished video into the blob store: same bytes, size and sha256 recorded, our URL, cost', async () => {
    const { video, started } = await startVideo(ada.caller, 'A paper boat on a river', { seconds: 8 });
    const done = await pollStatus(ada.caller, video.id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect(done.videoUrl).toBe(`/api/videos/${video.id}/content`);
    expect(done.thumbnailUrl).toBe(`/api/videos/${video.id}/content?variant=thumbnail`);
    expect(done.cost).toBe(0.8); // sora-2: $0.10 per second

    // Exactly one download of the video (plus its thumbnail).
    const downloads = h.jobRequests(started.jobId!).filter((entry) => entry.path.endsWith('/content'));
    expect(downloads).toHaveLength(2);

    const row = await getVideoForUser(h.db.db, ada.id, video.id);
    expect(row?.blobKey).toBeTruthy();
    const stored = await readFile(path.join(h.blobDir, row!.blobKey!));
    const served = await upstreamContent(started.jobId!);
    expect(stored.equals(served)).toBe(true);
    expect(row).toMatchObject({
      blobSize: served.length,
      blobSha256: await sha256Of(served),
      soraVideoUrl: `/api/videos/${video.id}/content`,
      soraGenerationCost: 0.8,
    });
    expect(row?.soraCompletedAt).toBeInstanceOf(Date);
    // Never base64 in the database.
    expect(row?.soraVideoUrl?.startsWith('data:')).toBe(false);

    const [attempt] = await listGenerationsForVideo(h.db.db, video.id);
    expect(attempt).toMatchObject({ status: 'completed', cost: 0.8, jobId: started.jobId });
  });

  it('prices sora-2-pro at the large size at $0.50 per second', async () => {
    const { video } = await startVideo(ada.caller, 'A wide shot of the sea', {
      model: 'sora-2-pro',
      size: '1792x1024',
      seconds: 4,
    });
    const done = await pollStatus(ada.caller, video.id, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', cost: 2 });
  });

  it('never keeps or serves a partial file when the download is cut off', async () => {
    const { video } = await startVideo(ada.caller, 'Broken download [sim:download-reset]');
    // The status read that sees the job finished answers "Downloading" and stores the file in the background; what
    // that download left is then read from the row (another status read would start the next try).
    const downloading = await waitUntil(() => ada.caller.sora.status({ videoId: video.id }), (v) => v.progress === 100);
    expect(downloading).toMatchObject({ status: 'in_progress', temporarilyUnavailable: false, videoUrl: null });
    const view = await waitUntil(
      async () => (await ada.caller.videos.get({ videoId: video.id })).generation,
      (v) => v.temporarilyUnavailable,
    );
    expect(view).toMatchObject({ status: 'in_progress', progress: 100, videoUrl: null, error: null });
    expect(view.message).toMatch(/saving it failed/);
    const row = await getVideoForUser(h.db.db, ada.id, video.id);
    expect(row).toMatchObject({ blobKey: null, blobSize: null, soraGenerationStatus: 'in_progress' });
    const files = await readdir(path.join(h.blobDir, 'videos', video.id)).catch(() => []);
    expect(files.filter((name) => name.endsWith('.mp4'))).toEqual([]);
  });
});
