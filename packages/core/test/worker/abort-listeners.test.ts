import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerHarness, type WorkerHarness } from './harness';

/*
 * The poller's signal lives as long as the process. Each upstream call must follow it through a signal of its own
 * that is let go when the call settles (for a download: when its body ends, fails or is cancelled), or every call
 * leaves a listener behind: a leak, and MaxListenersExceededWarning in the logs. The signal itself holds one
 * listener, which aborts whatever calls are under way, however many wait or run.
 */

let h: WorkerHarness;
const warnings: Error[] = [];
const onWarning = (warning: Error) => void warnings.push(warning);
beforeAll(async () => {
  h = await startWorkerHarness();
  process.on('warning', onWarning);
});
afterAll(async () => {
  process.off('warning', onWarning);
  await h?.close();
});

const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

describe("listeners on the poller's signal", () => {
  it('do not grow with the number of status checks (1 vs 200 refreshes through the real SDK)', async () => {
    // They stay in progress upstream, so every refresh is one status check.
    const slow = (i: number) => h.startVideo(`A glacier, very slowly ${i} [sim:duration=600000]`);
    const poller = h.poller();
    const statusChecks = () => h.sim.requests().filter((entry) => entry.method === 'GET').length;

    const first = await slow(0);
    await h.makeDue();
    expect(await poller.runOnce()).toBe(1);
    expect(statusChecks()).toBe(1);
    const afterOne = listeners(poller.signal);

    // 19 more, then every one of the 20 refreshed 10 times (8 at once, as the poller does): 200 status checks.
    const started = [first, ...(await Promise.all(Array.from({ length: 19 }, (_, i) => slow(i + 1))))];
    for (let pass = 0; pass < 10; pass++) {
      await h.makeDue();
      expect(await poller.runOnce()).toBe(20);
    }
    expect(statusChecks()).toBe(201);
    const afterTwoHundred = listeners(poller.signal);

    expect(started).toHaveLength(20);
    expect(afterTwoHundred).toBe(afterOne);
    expect(afterOne).toBe(1);
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('are released by downloads, whole or cut mid-way', async () => {
    const whole = await Promise.all(Array.from({ length: 4 }, (_, i) => h.startVideo(`Whole ${i} [sim:duration=10]`)));
    const cut = await Promise.all(Array.from({ length: 4 }, (_, i) => h.startVideo(`Cut ${i} [sim:duration=10] [sim:download-reset]`)));
    for (const video of [...whole, ...cut]) await h.upstreamFinished(video.soraJobId!);
    const poller = h.poller();
    await h.makeDue();
    await poller.runOnce();

    for (const video of whole) expect((await h.video(video.id)).soraGenerationStatus).toBe('completed');
    for (const video of cut) {
      const downloads = h.jobRequests(video.soraJobId!).filter((entry) => entry.path.endsWith('/content'));
      expect(downloads.length).toBeGreaterThan(0);
      expect(downloads.every((entry) => entry.aborted)).toBe(true);
    }
    expect(listeners(poller.signal)).toBe(1);
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
