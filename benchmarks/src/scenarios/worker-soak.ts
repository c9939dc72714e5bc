import { createStuckJobs, seedInProgressVideos } from '../support/active-jobs';
import { histogram } from '../support/metrics';
import { startServerProcess, type ServerProcess } from '../support/processes';
import { withStack } from '../support/stack';
import { fmt, ratio, sleep } from '../support/stats';
import type { BenchDatabase } from '../support/database';
import type { Scenario } from '../scenario';

/**
 * 8. Worker soak (issue 16, P7): one worker process (ROLE=worker) refreshes the same in-progress generations over and
 * over, N refreshes in all through the real SDK against the simulator. RSS after garbage collection at the end ÷ RSS
 * after the first tenth: a leak per refresh (an abort listener, a cached response, a timer) shows up as growth. The
 * listener bound is Node's own detector: a MaxListenersExceededWarning is printed as soon as any signal or emitter
 * holds more than 10 listeners of one kind, so "0 warnings" means at most 10 at any time.
 */

const METRICS_TOKEN = 'soak-bench-metrics-token-0123456';
const MIB = 1024 * 1024;

async function refreshes(worker: ServerProcess): Promise<number> {
  return (await histogram(worker, 'sora_poll_seconds', METRICS_TOKEN)).count;
}

/** Makes every generation due until the worker has done `target` refreshes in all. */
async function refreshUntil(database: BenchDatabase, worker: ServerProcess, target: number): Promise<void> {
  const deadline = performance.now() + 30 * 60_000;
  for (let done = await refreshes(worker); done < target; done = await refreshes(worker)) {
    if (performance.now() > deadline) throw new Error(`soak stalled at ${done} of ${target} refreshes`);
    await database.sql`update videos set next_poll_at = now() where next_poll_at > now()`;
    await sleep(100);
  }
}

export const workerSoak: Scenario = {
  name: 'soak',
  title: '8. Worker soak',
  async run({ quick, log }) {
    const total = quick ? 1_000 : 20_000;
    const early = total / 10;
    const jobs = quick ? 100 : 200;
    return withStack({ label: 'soak', servers: [], simulatorGenerationMs: 20_000 }, async ({ database, simulator }) => {
      log(`creating ${jobs} simulator jobs that stay in progress, and their rows`);
      await seedInProgressVideos(database, await createStuckJobs(simulator, jobs, 'Soak job'), 'soak');
      const worker = await startServerProcess({
        name: 'soak-worker',
        databaseUrl: database.url,
        simulator,
        env: { ROLE: 'worker', POLL_TICK_MS: '50', POLL_INTERVAL_MS: '3600000', UPSTREAM_RPM: '100000', METRICS_TOKEN },
      });
      try {
        log(`refreshing until ${early.toLocaleString('en-US')} refreshes`);
        await refreshUntil(database, worker, early);
        const atEarly = await worker.probe('gc');
        log(`  RSS ${fmt(atEarly.rss / MIB)} MiB; refreshing until ${total.toLocaleString('en-US')}`);
        const started = performance.now();
        // Halfway too: a leak keeps growing from there at the same pace; a heap settling in (fragmentation, compiled
        // code) does not.
        await refreshUntil(database, worker, total / 2);
        const atHalf = await worker.probe('gc');
        await refreshUntil(database, worker, total);
        const seconds = (performance.now() - started) / 1000;
        const atEnd = await worker.probe('gc');
        const done = await refreshes(worker);
        const warnings = worker.output().split('\n').filter((line) => line.includes('MaxListenersExceededWarning')).length;
        const rssRatio = ratio(atEnd.rss, atEarly.rss);
        log(`  RSS ${fmt(atEnd.rss / MIB)} MiB after ${done.toLocaleString('en-US')} refreshes; ${warnings} listener warnings`);
        return {
          measured: `RSS after ${done.toLocaleString('en-US')} refreshes: ${fmt(atEnd.rss / MIB)} MiB (heap ${fmt(atEnd.heapUsed / MIB)} MiB); MaxListenersExceededWarning: ${warnings}`,
          baseline: `RSS after ${early.toLocaleString('en-US')}: ${fmt(atEarly.rss / MIB)} MiB (heap ${fmt(atEarly.heapUsed / MIB)} MiB)`,
          ratio: rssRatio,
          extraRatios:
            `heap end/early: ${fmt(ratio(atEnd.heapUsed, atEarly.heapUsed))}; RSS halfway/early ${fmt(ratio(atHalf.rss, atEarly.rss))}, ` +
            `end/halfway ${fmt(ratio(atEnd.rss, atHalf.rss))}; V8 heap committed early ${fmt(atEarly.heapTotal / MIB)}, halfway ` +
            `${fmt(atHalf.heapTotal / MIB)}, end ${fmt(atEnd.heapTotal / MIB)} MiB; outside the heap (external, of it array buffers) early ` +
            `${fmt(atEarly.external / MIB)} (${fmt(atEarly.arrayBuffers / MIB)}), end ${fmt(atEnd.external / MIB)} (${fmt(atEnd.arrayBuffers / MIB)}) MiB`,
          goal: 'RSS end/early ≤ 1.1; no listener warning (≤ 10 listeners at any time)',
          met: rssRatio <= 1.1 && warnings === 0,
          setup:
            `one worker process (ROLE=worker), ${jobs} generations in progress upstream at 50 % forever, all made due again ` +
            `as soon as they were refreshed, ${total.toLocaleString('en-US')} refreshes through the real SDK; RSS and heap after two forced ` +
            `garbage collections; ${fmt((total - early) / seconds)} refreshes/s in the measured stretch`,
        };
      } finally {
        await worker.stop();
      }
    });
  },
};
