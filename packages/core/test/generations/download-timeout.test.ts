import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { getVideoForUser } from '@sora-monitor/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, startVideo, waitUntil, type Harness, type TestUser } from '../router/harness';

/*
 * A download has a deadline, body included (DOWNLOAD_TIMEOUT_MS): a transfer slower than it is cut, nothing is kept,
 * and the generation stays "in progress at 100 %" to be tried again; it is not failed and no new job is paid for.
 * The leftovers sweep relies on this: no write outlives the deadline. Real SDK against the simulator.
 */

let h: Harness;
let ada: TestUser;

beforeAll(async () => {
  h = await startHarness({ settings: { downloadTimeoutMs: 1_500 } });
  ada = await h.signUp('ada');
});
afterAll(() => h?.close());

describe('a download slower than DOWNLOAD_TIMEOUT_MS', () => {
  it('is cut at the deadline, keeps nothing, and is tried again later without a new paid job', async () => {
    const { video } = await startVideo(ada.caller, 'A slow glacier [sim:slow-download=20000]');
    await waitUntil(() => ada.caller.sora.status({ videoId: video.id }), (view) => view.progress === 100 || view.status === 'failed');

    // Read from the row: another status read would start the next try.
    const view = await waitUntil(
      async () => (await ada.caller.videos.get({ videoId: video.id })).generation,
      (current) => current.temporarilyUnavailable,
      { timeoutMs: 15_000 },
    );
    expect(view).toMatchObject({ status: 'in_progress', progress: 100, videoUrl: null, error: null });
    expect(view.message).toContain('the download took longer than 2 s (DOWNLOAD_TIMEOUT_MS)');

    const row = await getVideoForUser(h.db.db, ada.id, video.id);
    expect(row).toMatchObject({ blobKey: null, leaseOwner: null, soraGenerationStatus: 'in_progress' });
    const files = await readdir(path.join(h.blobDir, 'videos', video.id)).catch(() => []);
    expect(files).toEqual([]);
    const jobId = row!.soraJobId!;
    const content = h.jobRequests(jobId).filter((entry) => entry.method === 'GET' && entry.path.endsWith('/content'));
    expect(content).toHaveLength(1);
    expect(content[0]!.aborted).toBe(true);
    expect(h.jobRequests(jobId).filter((entry) => entry.method === 'POST')).toHaveLength(1);
  });
});
