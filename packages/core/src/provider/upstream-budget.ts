import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RATE_LIMIT_TABLE, type RateLimitStore } from '../rate-limits/postgres-store';
import { grantedOfRefusedBatch } from '../rate-limits/refused-batch';

/**
 * Who waits first for the budget: `interactive` (a user's create, a status request, a watched video, a download
 * someone waits for) before `background` (the poller's schedule, which can always go a little later).
 */
export type UpstreamPriority = 'interactive' | 'background';

/** One requests-per-minute budget for every upstream call, paused as a whole by retry-after. */
export interface UpstreamBudget {
  /** Waits until a request may be sent; resolves with how long it waited (ms). */
  acquire(priority?: UpstreamPriority): Promise<number>;
  /** Sends nothing for `ms` (the upstream said retry-after). A shorter pause never cuts a longer one short. */
  pauseFor(ms: number): Promise<void>;
}

export interface SharedBudgetOptions {
  /** Counters in PostgreSQL: every instance on the database draws from one budget and honours one pause. */
  store: RateLimitStore;
  /** Names the budget's owner, the API key (a digest, never the key): one budget per key, not per process. */
  key: string;
}

const MAX_QUEUED = 100_000;
/** When the counter itself failed (no insurance could answer): ask again after this long. */
const COUNTER_FAILURE_RETRY_MS = 1_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How many requests one counter update may take: at most two seconds' worth, so no instance hoards the minute. */
export function tokenBatchLimit(requestsPerMinute: number): number {
  return Math.max(1, Math.ceil(requestsPerMinute / 30));
}

/**
 * The budget for `requestsPerMinute`. In this process only, or, with `shared`, in PostgreSQL: N instances then send
 * at most `requestsPerMinute` together (not N times it), and a retry-after one of them hears pauses all of them.
 *
 * Requests are taken from the counter in batches, as many as are waiting (up to `tokenBatchLimit`): one statement
 * serves a whole burst instead of one per request, and no instance holds tokens nobody waits for (a batch is never
 * larger than the queue, so none outlives its minute). They go to interactive callers first.
 */
export function createUpstreamBudget(requestsPerMinute: number, shared?: SharedBudgetOptions): UpstreamBudget {
  const inMemory = new RateLimiterMemory({ points: requestsPerMinute, duration: 60 });
  const limiter: RateLimiterAbstract = shared
    ? new RateLimiterPostgres({
        storeClient: shared.store.client,
        storeType: 'pool',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true, // ensureTable() below
        keyPrefix: 'upstream',
        points: requestsPerMinute,
        duration: 60,
        // While the database is unreachable each instance keeps to the budget on its own rather than stopping.
        insuranceLimiter: inMemory,
      })
    : inMemory;
  const key = shared?.key ?? 'limiter';
  const batchLimit = tokenBatchLimit(requestsPerMinute);
  let tableReady: Promise<void> | null = null;
  const ready = () => (tableReady ??= shared ? shared.store.ensureTable().catch(() => undefined) : Promise.resolve());

  const waiting: Record<UpstreamPriority, Array<() => void>> = { interactive: [], background: [] };
  const queued = () => waiting.interactive.length + waiting.background.length;
  /** Taken from the counter for callers still in the queue (never more than are waiting). */
  let tokens = 0;
  let pausedUntil = 0;
  let pumping = false;

  /** Takes up to `count` requests from the counter: how many it got, and when to ask again if none. */
  async function take(count: number): Promise<{ granted: number; askAgainInMs: number }> {
    try {
      await limiter.consume(key, count);
      return { granted: count, askAgainInMs: 0 };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) return { granted: 0, askAgainInMs: COUNTER_FAILURE_RETRY_MS };
      return { granted: grantedOfRefusedBatch(refusal, count, requestsPerMinute), askAgainInMs: Math.max(1, refusal.msBeforeNext) };
    }
  }

  /** Hands out tokens to waiters one at a time (interactive first), fetching batches and honouring the pause. */
  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      while (queued() > 0) {
        // Kept to the millisecond here: the limiter's own block() works in whole seconds, which turned a
        // `retry-after-ms: 20` into a one-second stop of every upstream call.
        const pauseLeft = pausedUntil - Date.now();
        if (pauseLeft > 0) {
          await sleep(pauseLeft);
          continue;
        }
        if (tokens > 0) {
          tokens -= 1;
          (waiting.interactive.shift() ?? waiting.background.shift())?.();
          continue;
        }
        await ready();
        const batch = await take(Math.min(batchLimit, queued()));
        tokens = batch.granted;
        if (batch.granted === 0) await sleep(batch.askAgainInMs);
      }
    } finally {
      pumping = false;
    }
  }

  return {
    acquire(priority = 'interactive') {
      const started = Date.now();
      if (queued() >= MAX_QUEUED) return Promise.reject(new Error(`The upstream budget has ${MAX_QUEUED} requests waiting already`));
      return new Promise<number>((resolve) => {
        waiting[priority].push(() => resolve(Date.now() - started));
        void pump();
      });
    },
    async pauseFor(ms) {
      const until = Date.now() + ms;
      if (ms <= 0 || until <= pausedUntil) return;
      pausedUntil = until;
      // The other instances: the shared counter is blocked for whole seconds (a pause under a second stays local,
      // where rounding it up would cost more than the few requests it could save).
      if (shared && ms >= 1_000) {
        await ready();
        await limiter.block(key, Math.ceil(ms / 1_000)).catch(() => undefined); // unreachable: each pauses alone
      }
    },
  };
}
