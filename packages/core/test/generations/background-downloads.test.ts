import { getVideoForUser } from '@sora-monitor/db';
import OpenAI from 'openai';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../src/services';
import { pollStatus, startHarness, startVideo, waitUntil, type Harness, type TestUser } from '../router/harness';

/*
 * A status read (or a webhook) that finds the upstream job finished answers "Downloading" at once and stores the file
 * in the background, instead of holding its caller, and every call batched with it, for the whole download. Real
 * SDK against the simulator, real database.
 */

let h: Harness;
let ada: TestUser;

beforeAll(async () => {
  h = await startHarness();
  ada = await h.signUp('ada');
});
afterAll(() => h?.close());

const row = (videoId: string) => getVideoForUser(h.db.db, ada.id, videoId);
const isDownloadingOrDone = (view: { status: string; progress: number }) =>
  view.progress === 100 || (view.status !== 'queued' && view.status !== 'in_progress');

describe('storing a finished video found by a status read', () => {
  it('answers "Downloading" at once; other reads meanwhile answer from the row; then the video is ready', async () => {
    const { video } = await startVideo(ada.caller, 'A slow river [sim:slow-download=3000]');
    const downloading = await waitUntil(() => ada.caller.sora.status({ videoId: video.id }), isDownloadingOrDone);
    expect(downloading).toMatchObject({ status: 'in_progress', progress: 100, videoUrl: null, temporarilyUnavailable: false });

    // The download (3 s) is still running: a second read is answered from the row, not made to wait for the file.
    const meanwhile = await ada.caller.sora.status({ videoId: video.id });
    expect(meanwhile).toMatchObject({ status: 'in_progress', progress: 100, videoUrl: null });
    expect((await row(video.id))?.leaseOwner).not.toBeNull();

    const done = await pollStatus(ada.caller, video.id, ['completed', 'failed'], 20_000);
    expect(done.status).toBe('completed');
    expect(done.videoUrl).not.toBeNull();
    // One download, and no upstream status request while it ran: the reads meanwhile were answered from the row.
    const requests = h.jobRequests(done.jobId!).filter((entry) => entry.method === 'GET');
    const download = requests.find((entry) => entry.path.endsWith('/content'))!;
    const during = requests.filter((entry) => entry !== download && entry.startedAt >= download.startedAt && entry.startedAt < download.endedAt);
    expect(during).toEqual([]);
  });

  it('closing the services cuts a background download short and releases its lease; another instance stores the file', async () => {
    const other = await createAppServices({
      database: h.db,
      openai: new OpenAI({ apiKey: h.sim.apiKey, baseURL: h.sim.url }),
      providerInfo: { simulated: true, baseURL: h.sim.url },
      blobDir: h.blobDir,
      authSecret: 'background-downloads-secret-0123456789abcdef',
      publicUrl: 'http://localhost:3000',
      trustedOrigins: ['http://localhost:3000'],
      logger: pino({ level: 'silent' }),
      version: 'test',
      settings: { statusFreshnessMs: 0 },
      upstreamRequestsPerMinute: 1_000_000,
    });
    const { video } = await startVideo(ada.caller, 'A long tide [sim:slow-download=8000]');
    // The other instance's refresh finds the job finished and starts storing it in the background.
    await waitUntil(
      () => other.services.refresh(video.id, { actor: 'poller', freshForMs: 0 }),
      (result) => result === null || isDownloadingOrDone(toProgress(result.video)),
    );
    const leased = await row(video.id);
    expect(leased).toMatchObject({ soraGenerationStatus: 'in_progress', soraProgress: 100, blobKey: null });
    expect(leased?.leaseOwner).not.toBeNull();

    await other.close();
    const released = await row(video.id);
    expect(released).toMatchObject({ soraGenerationStatus: 'in_progress', soraProgress: 100, blobKey: null, leaseOwner: null });

    // The job finished upstream: this instance stores the file (a download, not a new paid job).
    const done = await pollStatus(ada.caller, video.id, ['completed', 'failed'], 60_000);
    expect(done.status).toBe('completed');
    expect(h.jobRequests(done.jobId!).filter((entry) => entry.method === 'POST')).toHaveLength(1);
  }, 90_000);
});

function toProgress(video: { soraGenerationStatus: string; soraProgress: number }) {
  return { status: video.soraGenerationStatus, progress: video.soraProgress };
}
