import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamBudget } from '../../src/provider';
import { overlappingCalls, sleep, startWorkerHarness, waitUntil, type WorkerHarness } from './harness';

const RETRY_AFTER_MS = 1_200;

let h: WorkerHarness;
beforeAll(async () => {
  // retry-after longer than the shortest poll interval, so honouring it is visible in the schedule.
  h = await startWorkerHarness({ sim: { generationMs: 300, retryAfterMs: RETRY_AFTER_MS } });
});
afterAll(() => h?.close());

describe('a 429 storm with retry-after', () => {
  it('sends nothing for a job inside the retry-after window, marks nothing failed, and completes every job', async () => {
    const started = await Promise.all(
      Array.from({ length: 6 }, (_, i) => h.startVideo(`Storm ${i} [sim:429-burst=3]`)),
    );
    const jobIds = started.map((video) => video.soraJobId!);
    const poller = h.poller({}, { ...h.deps, random: () => 0 });
    await h.makeDue();
    poller.start();

    for (const video of started) {
      await waitUntil(
        () => h.video(video.id),
        (row) => row.soraGenerationStatus !== 'queued' && row.soraGenerationStatus !== 'in_progress',
        {
          timeoutMs: 20_000,
        },
      );
    }
    await poller.stop();

    for (const video of started) {
      const row = await h.video(video.id);
      expect(row.soraGenerationStatus).toBe('completed');
      expect(row.pollFailures).toBe(0);
      expect((await h.events(video.id)).some((event) => event.toStatus === 'failed')).toBe(false);
    }

    for (const jobId of jobIds) {
      const requests = h.jobRequests(jobId).filter((entry) => entry.method === 'GET');
      const limited = requests.filter((entry) => entry.status === 429);
      expect(limited).toHaveLength(3);
      for (const refusal of limited) {
        // Measured from the refusal's start: a 429 is answered at once, and the simulator's end stamp can trail
        // the moment the client had the answer (it shares this process's event loop).
        const tooSoon = requests.filter(
          (entry) =>
            entry.startedAt > refusal.startedAt && entry.startedAt < refusal.startedAt + RETRY_AFTER_MS,
        );
        expect(tooSoon, `requests on ${jobId} inside the retry-after window`).toEqual([]);
      }
    }
    expect(overlappingCalls(h.sim.requests())).toEqual([]);

    const metrics = await h.registry.metrics();
    expect(metrics).toMatch(
      /sora_upstream_calls_total\{operation="retrieve",result="unavailable_rate_limited"\} (1[89]|[2-9]\d)/,
    );
  });
});

describe('the upstream budget', () => {
  it('lets through no more than its requests per minute; the rest wait', async () => {
    const budget = createUpstreamBudget(5);
    const first = await Promise.all(Array.from({ length: 5 }, () => budget.acquire()));
    expect(first.every((waited) => waited < 1_000)).toBe(true);
    let sixthSent = false;
    void budget.acquire().then(() => (sixthSent = true));
    await sleep(300);
    expect(sixthSent).toBe(false);
  });

  it('is paused as a whole by a retry-after: every caller waits it out', async () => {
    const budget = createUpstreamBudget(1_000);
    await budget.pauseFor(250);
    const waits = await Promise.all([budget.acquire(), budget.acquire(), budget.acquire()]);
    for (const waited of waits) expect(waited).toBeGreaterThanOrEqual(240);
  });
});
