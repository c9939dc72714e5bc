import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain';
import { cancelAutoRetry } from '../../src/generations';
import { startDueRetries } from '../../src/worker';
import { driveUntil, startWorkerHarness, type WorkerHarness } from './harness';

let h: WorkerHarness;

beforeAll(async () => {
  h = await startWorkerHarness({ sim: { generationMs: 150 }, settings: { retryBaseMs: 60_000, maxAttempts: 3 } });
});
afterAll(() => h?.close());

describe('cancelling an automatic retry', () => {
  it('drops the plan with an audit event; the generation stays failed and the worker starts nothing', async () => {
    const video = await h.startVideo('A windmill in a storm [sim:fail=internal_error]');
    const failed = await driveUntil(
      h,
      h.poller({}),
      () => h.video(video.id),
      (row) => row.soraGenerationStatus === 'failed' && row.autoRetryAt !== null,
    );

    const view = await cancelAutoRetry(h.deps, failed.userId, video.id);
    expect(view).toMatchObject({ status: 'failed', autoRetryAt: null, errorCode: 'internal_error' });
    const cancelled = (await h.events(video.id)).filter((event) => event.type === 'auto_retry_cancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]).toMatchObject({ actor: 'user', fromStatus: 'failed', toStatus: 'failed' });

    // The worker claims retries by auto_retry_at: with it cleared there is nothing to claim.
    expect((await h.video(video.id)).autoRetryAt).toBeNull();
    await startDueRetries(h.deps, 10);
    expect(await h.generations(video.id)).toHaveLength(1);

    // Twice is refused, naming why.
    await expect(cancelAutoRetry(h.deps, failed.userId, video.id)).rejects.toThrow(AppError);
    await expect(cancelAutoRetry(h.deps, failed.userId, video.id)).rejects.toThrow('No automatic retry is planned');
  });

  it("is NOT_FOUND for another user's video", async () => {
    const video = await h.startVideo('A kite [sim:fail=internal_error]');
    const stranger = await h.createUser();
    await expect(cancelAutoRetry(h.deps, stranger, video.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
