import type { BenchDatabase } from '../support/database';
import { createStuckJobs, seedInProgressVideos } from '../support/active-jobs';
import { histogram } from '../support/metrics';
import { startLatencyProxy, type LatencyProxy } from '../support/latency-proxy';
import { startPgCounter, type PgCounter } from '../support/pg-counter';
import { startServerProcess, type ServerProcess } from '../support/processes';
import { withStack } from '../support/stack';
import { fmt, fmtMs, ratio, sleep } from '../support/stats';
import type { Scenario } from '../scenario';

/**
 * 4. Sweep: N active generations all due at once, the simulator behind a proxy that adds a fixed latency, worker
 * processes (ROLE=worker) with POLL_CONCURRENCY=C each. Wall time until every generation was refreshed ÷ the ideal
 * N × latency ÷ (C × workers); statements per generation (counted on the wire, see pg-counter.ts) and transactions
 * per generation (pg_stat_database); duplicate claims seen upstream (a job retrieved twice in one sweep, or by two
 * workers at once), which must be 0.
 */

const LATENCY_MS = 50;
const CONCURRENCY = 8; // the product default (POLL_CONCURRENCY)
const BATCH = 50; // the product default (POLL_BATCH_SIZE)

/** Back to the seeded state (10%, never polled, not due), so every sweep does the same work. */
async function resetVideos(database: BenchDatabase): Promise<void> {
  const { sql } = database;
  await sql`delete from sora_events`;
  await sql`update sora_generations set progress = 10, updated_at = now()`;
  await sql`update videos set sora_progress = 10, progress_changed_at = now(), last_polled_at = null, next_poll_at = now() + interval '1 day',
            lease_owner = null, lease_until = null, poll_failures = 0, last_poll_error = null`;
  await sql`vacuum analyze videos`;
  await sql`vacuum analyze sora_generations`;
}

async function transactionsCommitted(database: BenchDatabase): Promise<number> {
  const [row] = await database.sql<Array<{ xact_commit: string }>>`
    select xact_commit from pg_stat_database where datname = ${database.name}`;
  return Number(row?.xact_commit ?? 0);
}

const METRICS_TOKEN = 'sweep-bench-metrics-token-0123';

async function meanMs(workers: ServerProcess[], name: string): Promise<number> {
  const all = await Promise.all(workers.map((worker) => histogram(worker, name, METRICS_TOKEN)));
  const sum = all.reduce((total, h) => total + h.sum, 0);
  const count = all.reduce((total, h) => total + h.count, 0);
  return count === 0 ? 0 : (sum / count) * 1000;
}

interface SweepResult {
  workers: number;
  wallMs: number;
  idealMs: number;
  statementsPerGeneration: number;
  transactionsPerGeneration: number;
  duplicates: number;
  overlapping: number;
  missing: number;
  /** Means from the workers' own metrics: one refresh (upstream + write), the upstream call, the budget wait. */
  refreshMs: number;
  upstreamMs: number;
  budgetWaitMs: number;
}

function startWorker(
  database: BenchDatabase,
  proxy: LatencyProxy,
  counter: PgCounter,
  index: number,
): Promise<ServerProcess> {
  return startServerProcess({
    name: `worker-${index}`,
    databaseUrl: counter.urlFor(database.url),
    simulator: { url: proxy.url, apiKey: 'sim-key' },
    env: {
      ROLE: 'worker',
      POLL_CONCURRENCY: String(CONCURRENCY),
      POLL_BATCH_SIZE: String(BATCH),
      POLL_TICK_MS: '200',
      // Refreshed rows are next due no sooner than interval/6 = 10 min: each is polled once per sweep.
      POLL_INTERVAL_MS: '3600000',
      UPSTREAM_RPM: '100000',
      METRICS_TOKEN,
    },
  });
}

/** One sweep of every generation by `started` (already running workers). */
async function sweepOnce(
  database: BenchDatabase,
  proxy: LatencyProxy,
  counter: PgCounter,
  started: ServerProcess[],
  total: number,
): Promise<SweepResult> {
  const workers = started.length;
  await resetVideos(database);
  await sleep(1_000); // start-up work (first claims, stuck sweep) out of the window

  const [clock] = await database.sql<Array<{ now: Date }>>`select now()`;
  const t0 = clock!.now;
  proxy.reset();
  const statementsBefore = counter.counts().statements;
  const transactionsBefore = await transactionsCommitted(database);
  let ownTransactions = 1;
  const startedAt = performance.now();
  await database.sql`update videos set next_poll_at = now()`;
  const idealMs = (total * LATENCY_MS) / (CONCURRENCY * workers);
  const deadline = startedAt + Math.max(120_000, idealMs * 20);
  for (;;) {
    const [row] = await database.sql<
      Array<{ done: number }>
    >`select count(*)::int as done from videos where last_polled_at >= ${t0}`;
    ownTransactions++;
    if ((row?.done ?? 0) >= total) break;
    if (performance.now() > deadline)
      throw new Error(
        `sweep incomplete after ${Math.round(performance.now() - startedAt)} ms: ${row?.done}/${total}`,
      );
    await sleep(50);
  }
  const wallMs = performance.now() - startedAt;
  const statements = counter.counts().statements - statementsBefore;
  await sleep(1_500); // pg_stat_database is flushed about once a second
  const transactions = (await transactionsCommitted(database)) - transactionsBefore - ownTransactions - 1;

  const refreshMs = await meanMs(started, 'sora_poll_seconds');
  const upstreamMs = await meanMs(started, 'sora_upstream_call_seconds');
  const budgetWaitMs = await meanMs(started, 'sora_rate_limiter_wait_seconds');
  const perJob = proxy.retrievesPerJob();
  let duplicates = 0;
  for (const count of perJob.values()) duplicates += Math.max(0, count - 1);
  return {
    workers,
    wallMs,
    idealMs,
    statementsPerGeneration: statements / total,
    transactionsPerGeneration: transactions / total,
    duplicates,
    overlapping: proxy.overlapping(),
    missing: total - perJob.size,
    refreshMs,
    upstreamMs,
    budgetWaitMs,
  };
}

export const sweep: Scenario = {
  name: 'sweep',
  title: '4. Sweep',
  async run({ quick, log }) {
    const total = quick ? 200 : 10_000;
    return withStack(
      { label: 'sweep', servers: [], simulatorGenerationMs: 20_000 },
      async ({ database, simulator }) => {
        log(`creating ${total.toLocaleString('en-US')} simulator jobs and their rows`);
        await seedInProgressVideos(database, await createStuckJobs(simulator, total, 'Sweep job'), 'sweep');
        const proxy = await startLatencyProxy(simulator.origin, LATENCY_MS);
        const counter = await startPgCounter(database.url);
        try {
          // Two workers first; then the second stops and the first sweeps alone (one start fewer than three).
          const workers = await Promise.all(
            [1, 2].map((index) => startWorker(database, proxy, counter, index)),
          );
          const sweepWith = async (running: ServerProcess[]) => {
            log(
              `sweep with ${running.length} worker(s), POLL_CONCURRENCY=${CONCURRENCY}, POLL_BATCH_SIZE=${BATCH}, upstream latency ${LATENCY_MS} ms`,
            );
            const result = await sweepOnce(database, proxy, counter, running, total);
            log(
              `  ${fmt(result.wallMs / 1000)} s (ideal ${fmt(result.idealMs / 1000)} s), ${fmt(result.statementsPerGeneration)} statements and ` +
                `${fmt(result.transactionsPerGeneration)} transactions per generation, ${result.duplicates} duplicate retrieves`,
            );
            return result;
          };
          let two: SweepResult;
          let one: SweepResult;
          try {
            two = await sweepWith(workers);
            await workers[1]!.stop();
            one = await sweepWith([workers[0]!]);
          } finally {
            await Promise.all(workers.map((worker) => worker.stop()));
          }
          const results = [one, two];
          const ratioOne = ratio(one.wallMs, one.idealMs);
          const ratioTwo = ratio(two.wallMs, two.idealMs);
          const duplicates = one.duplicates + two.duplicates + one.overlapping + two.overlapping;
          const missing = one.missing + two.missing;
          const show = (r: SweepResult) =>
            `${r.workers} worker${r.workers > 1 ? 's' : ''}: ${fmt(r.wallMs / 1000)} s (ideal ${fmt(r.idealMs / 1000)} s), ` +
            `${fmt(r.statementsPerGeneration)} stmt/gen, ${fmt(r.transactionsPerGeneration)} tx/gen, ${r.duplicates + r.overlapping} duplicate claims`;
          return {
            measured: show(two),
            baseline: show(one),
            ratio: Math.max(ratioOne, ratioTwo),
            extraRatios: `wall/ideal: 1 worker ${fmt(ratioOne)}, 2 workers ${fmt(ratioTwo)}; speed-up 2 vs 1: ${fmt(ratio(one.wallMs, two.wallMs))}`,
            goal: 'wall/ideal ≤ 1.2; duplicate claims 0',
            met: ratioOne <= 1.2 && ratioTwo <= 1.2 && duplicates === 0 && missing === 0,
            setup:
              `N=${total.toLocaleString('en-US')} in-progress generations due at once, upstream latency ${LATENCY_MS} ms (proxy), POLL_CONCURRENCY=` +
              `${CONCURRENCY} and POLL_BATCH_SIZE=${BATCH} per worker (defaults), ideal = N × ${LATENCY_MS} ms ÷ (C × workers); statements counted ` +
              `through a wire-protocol proxy in front of PostgreSQL`,
            details: [
              ...results.map(
                (r) =>
                  `${r.workers} worker(s): mean refresh ${fmtMs(r.refreshMs)} (upstream call ${fmtMs(r.upstreamMs)}, ` +
                  `budget wait ${fmtMs(r.budgetWaitMs)}) vs ${LATENCY_MS} ms latency`,
              ),
              ...(missing > 0 ? [`${missing} generations were never retrieved`] : []),
            ],
          };
        } finally {
          await counter.close();
          await proxy.close();
        }
      },
    );
  },
};
