import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMITED_MESSAGE, unavailableNotice } from '../../src/domain';
import { toStatusView } from '../../src/generations';
import { startWorkerHarness, type WorkerHarness } from './harness';

/*
 * Issue 17: after a burst of 429s that said "retry after 1 s", a finished job still showed "Queued" for 71 s: the
 * poller took the larger of its growing back-off and the retry-after. Through the real openai SDK against the
 * simulator (429 answers carry `retry-after: 1` and `retry-after-ms`), the next poll must be at the retry-after.
 */
const RETRY_AFTER_MS = 400;
let h: WorkerHarness;
beforeAll(async () => {
  // The production poll interval (30 s: the minimum poll delay is 5 s), so a back-off would show as later than 400 ms.
  h = await startWorkerHarness({ sim: { generationMs: 200, retryAfterMs: RETRY_AFTER_MS }, settings: { pollIntervalMs: 30_000 } });
});
afterAll(() => h?.close());

describe('a rate-limited poll', () => {
  it("is asked again at the service's retry-after, after every 429 of a burst, and the status says it was rate limited", async () => {
    const video = await h.startVideo('Rate limited [sim:429-burst=5] [sim:duration=60000]');
    const poller = h.poller();
    for (let failures = 1; failures <= 5; failures++) {
      await h.makeDue();
      await poller.runOnce();
      const row = await h.video(video.id);
      expect(row).toMatchObject({ soraGenerationStatus: 'queued', pollFailures: failures, lastPollError: RATE_LIMITED_MESSAGE });
      // Both stamps come from the same database clock of the claim.
      expect(row.nextPollAt!.getTime() - row.lastPolledAt!.getTime()).toBe(RETRY_AFTER_MS);

      const view = toStatusView(row);
      expect(view).toMatchObject({ temporarilyUnavailable: true, rateLimited: true, nextCheckAt: row.nextPollAt!.toISOString() });
      expect(unavailableNotice(view, row.lastPolledAt!)).toBe('The video service asked us to slow down; next check in 1 s');
    }
    const answered = h.jobRequests(video.soraJobId!).filter((entry) => entry.method === 'GET').map((entry) => entry.status);
    expect(answered).toEqual([429, 429, 429, 429, 429]);

    // The burst is over: the next poll is answered and the rate-limit note is gone.
    await h.makeDue();
    await poller.runOnce();
    const recovered = await h.video(video.id);
    expect(recovered).toMatchObject({ pollFailures: 0, lastPollError: null });
    expect(toStatusView(recovered)).toMatchObject({ temporarilyUnavailable: false, rateLimited: false, nextCheckAt: null });
    const events = (await h.events(video.id)).filter((event) => event.type === 'transient_problem');
    expect(events).toHaveLength(5);
    expect(events[0]?.data).toMatchObject({ reason: 'rate_limited', retryAfterMs: RETRY_AFTER_MS });
  });
});
