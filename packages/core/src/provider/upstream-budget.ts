import { RateLimiterMemory, RateLimiterPostgres, RateLimiterQueue, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RATE_LIMIT_TABLE, type RateLimitStore } from '../rate-limits/postgres-store';

/** One requests-per-minute budget for every upstream call, paused as a whole by retry-after. */
export interface UpstreamBudget {
  /** Waits until a request may be sent; resolves with how long it waited (ms). */
  acquire(): Promise<number>;
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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The budget for `requestsPerMinute`. In this process only, or, with `shared`, in PostgreSQL: N instances then send
 * at most `requestsPerMinute` together (not N times it), and a retry-after one of them hears pauses all of them.
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
  const queue = new RateLimiterQueue(limiter, { maxQueueSize: MAX_QUEUED });
  let tableReady: Promise<void> | null = null;
  const ready = () => (tableReady ??= shared ? shared.store.ensureTable().catch(() => undefined) : Promise.resolve());
  let pausedUntil = 0;
  return {
    async acquire() {
      const started = Date.now();
      await ready();
      // The pause is kept to the millisecond here: the limiter's own block() works in whole seconds, which turned a
      // `retry-after-ms: 20` into a one-second stop of every upstream call.
      for (let wait = pausedUntil - Date.now(); wait > 0; wait = pausedUntil - Date.now()) await sleep(wait);
      await queue.removeTokens(1, key);
      // A retry-after that arrived while we queued for a token holds us too (the token stays spent: erring low).
      for (let wait = pausedUntil - Date.now(); wait > 0; wait = pausedUntil - Date.now()) await sleep(wait);
      return Date.now() - started;
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
