import { createStuckJobs, seedInProgressVideos } from '../support/active-jobs';
import type { BenchDatabase } from '../support/database';
import { histogram } from '../support/metrics';
import { startServerProcess, type ServerProcess, type SimulatorProcess } from '../support/processes';
import { withStack } from '../support/stack';
import { fmt, ratio, sleep } from '../support/stats';
import type { Scenario } from '../scenario';

/**
 * 11. Upstream budget (issue 16, P11): A active generations followed by worker processes that all hold the same API
 * key and `UPSTREAM_RPM=R`. Upstream requests a minute seen by the simulator in a steady window ÷ R, with three
 * instances and, as the in-run baseline, with one. Also: the most polls any one generation got in the window (the
 * schedule spreads the budget: none more often than A ÷ (0.8 R) minutes allows), and the budget's statements per
 * upstream request (rows written to the shared counter table, `pg_stat_user_tables`).
 */

const METRICS_TOKEN = 'budget-bench-metrics-token-01234';

interface SimRequest {
  method: string;
  path: string;
  startedAt: number;
}

interface BudgetRun {
  instances: number;
  perMinute: number;
  maxPollsPerJob: number;
  counterWritesPerRequest: number;
  budgetWaitMs: number;
}

async function counterWrites(database: BenchDatabase): Promise<number> {
  const [row] = await database.sql<Array<{ writes: string | null }>>`
    select (n_tup_ins + n_tup_upd)::text as writes from pg_stat_user_tables where relname = 'rate_limits'`;
  return Number(row?.writes ?? 0);
}

async function upstreamRequests(simulator: SimulatorProcess, from: number, to: number): Promise<SimRequest[]> {
  const response = await fetch(`${simulator.origin}/__sim/requests`);
  const { requests } = (await response.json()) as { requests: SimRequest[] };
  return requests.filter((entry) => entry.startedAt >= from && entry.startedAt < to);
}

const FIRST_REQUEST_DEADLINE_MS = 60_000;

/** When the first upstream request since `since` started (waiting for one, up to `deadlineMs`). */
async function firstUpstreamRequestAt(simulator: SimulatorProcess, since: number, deadlineMs: number): Promise<number> {
  const giveUpAt = Date.now() + deadlineMs;
  for (;;) {
    const [first] = await upstreamRequests(simulator, since, Number.POSITIVE_INFINITY);
    if (first) return first.startedAt;
    if (Date.now() > giveUpAt) throw new Error(`no upstream request within ${deadlineMs / 1000} s of the workers starting: nothing was polled`);
    await sleep(200);
  }
}

async function meanBudgetWaitMs(workers: ServerProcess[]): Promise<number> {
  const all = await Promise.all(workers.map((worker) => histogram(worker, 'sora_rate_limiter_wait_seconds', METRICS_TOKEN)));
  const count = all.reduce((total, h) => total + h.count, 0);
  return count === 0 ? 0 : (all.reduce((total, h) => total + h.sum, 0) / count) * 1000;
}

/** All generations due now, nothing polled yet, the shared counter empty: every run starts from the same state. */
async function reset(database: BenchDatabase): Promise<void> {
  await database.sql`update videos set last_polled_at = null, next_poll_at = now(), lease_owner = null, lease_until = null, poll_failures = 0`;
  await database.sql`delete from rate_limits`.catch(() => undefined); // created by the first instance that starts
}

async function run(
  database: BenchDatabase,
  simulator: SimulatorProcess,
  options: { instances: number; rpm: number; warmupMs: number; windowMs: number },
  log: (message: string) => void,
): Promise<BudgetRun> {
  await reset(database);
  const startedAt = Date.now();
  const workers = await Promise.all(
    Array.from({ length: options.instances }, (_, index) =>
      startServerProcess({
        name: `budget-worker-${index + 1}`,
        databaseUrl: database.url,
        simulator,
        env: { ROLE: 'worker', UPSTREAM_RPM: String(options.rpm), METRICS_TOKEN },
      }),
    ),
  );
  try {
    await sleep(options.warmupMs);
    // A loaded machine (CI) can take seconds from "ready" to a worker's first claim: the window opens no earlier than
    // the first upstream request, so it counts the budget at work rather than the start-up.
    const firstAt = await firstUpstreamRequestAt(simulator, startedAt, FIRST_REQUEST_DEADLINE_MS);
    const writesBefore = await counterWrites(database);
    const from = Math.max(startedAt + options.warmupMs, firstAt);
    const to = from + options.windowMs;
    await sleep(to - Date.now());
    await sleep(1_500); // table statistics are flushed about once a second
    const writes = (await counterWrites(database)) - writesBefore;
    const requests = await upstreamRequests(simulator, from, to);
    if (requests.length === 0) throw new Error(`no upstream request in the ${options.windowMs / 1000} s window: nothing was polled`);
    const perJob = new Map<string, number>();
    for (const entry of requests) perJob.set(entry.path, (perJob.get(entry.path) ?? 0) + 1);
    const result: BudgetRun = {
      instances: options.instances,
      perMinute: requests.length / (options.windowMs / 60_000),
      maxPollsPerJob: Math.max(0, ...perJob.values()),
      counterWritesPerRequest: requests.length === 0 ? 0 : writes / requests.length,
      budgetWaitMs: await meanBudgetWaitMs(workers),
    };
    log(
      `  ${options.instances} instance(s): ${fmt(result.perMinute)} upstream requests/min (R = ${options.rpm}), ` +
        `at most ${result.maxPollsPerJob} polls of one job, ${fmt(result.counterWritesPerRequest)} counter writes per request`,
    );
    return result;
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}

export const upstreamBudget: Scenario = {
  name: 'budget',
  title: '11. Upstream budget (P11)',
  async run({ quick, log }) {
    const jobs = quick ? 40 : 500;
    const rpm = quick ? 120 : 600;
    // Warm-up: the first sweep of every due generation (R allows all of them in the first minute) and the first
    // reschedule; the window then sees the steady schedule.
    // Quick: the window takes the first sweep itself (enough to see the scenario work, in as little CI time as can be).
    const warmupMs = quick ? 0 : 75_000;
    const windowMs = quick ? 10_000 : 120_000;
    const spacingS = (jobs * 60) / (rpm * 0.8);
    return withStack({ label: 'budget', servers: [], simulatorGenerationMs: 20_000 }, async ({ database, simulator }) => {
      log(`creating ${jobs} simulator jobs that stay in progress, and their rows`);
      await seedInProgressVideos(database, await createStuckJobs(simulator, jobs, 'Budget job'), 'budget');
      log(`${jobs} active generations, UPSTREAM_RPM=${rpm}: one instance, then three`);
      const one = await run(database, simulator, { instances: 1, rpm, warmupMs, windowMs }, log);
      const three = await run(database, simulator, { instances: 3, rpm, warmupMs, windowMs }, log);
      const show = (r: BudgetRun) =>
        `${r.instances} instance${r.instances > 1 ? 's' : ''}: ${fmt(r.perMinute)} upstream requests/min, at most ${r.maxPollsPerJob} polls of one job in ` +
        `${windowMs / 1000} s, ${fmt(r.counterWritesPerRequest)} counter writes per request, budget wait ${fmt(r.budgetWaitMs)} ms`;
      const headline = ratio(three.perMinute, rpm);
      return {
        measured: show(three),
        baseline: `R = ${rpm}/min; ${show(one)}`,
        ratio: headline,
        extraRatios: `1 instance ÷ R: ${fmt(ratio(one.perMinute, rpm))}; 3 ÷ 1 instance: ${fmt(ratio(three.perMinute, one.perMinute))}`,
        goal: 'requests/min ÷ R ≤ 1.0 with 3 instances',
        met: headline <= 1,
        setup:
          `${jobs} generations in progress upstream forever, worker processes (ROLE=worker, POLL_INTERVAL_MS 30 s) sharing one key, ` +
          `UPSTREAM_RPM=${rpm}; ${warmupMs / 1000} s warm-up, then ${windowMs / 1000} s counted in the simulator's request log; ` +
          `the schedule's spacing for this load is ${fmt(spacingS)} s per generation`,
      };
    });
  },
};
