import { RateLimiterMemory, RateLimiterQueue } from 'rate-limiter-flexible';

/** One requests-per-minute budget for every upstream call of the process, paused as a whole by retry-after. */
export interface UpstreamBudget {
  /** Waits until a request may be sent; resolves with how long it waited (ms). */
  acquire(): Promise<number>;
  /** Sends nothing for `ms` (the upstream said retry-after). A shorter pause never cuts a longer one short. */
  pauseFor(ms: number): Promise<void>;
}

const MAX_QUEUED = 100_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createUpstreamBudget(requestsPerMinute: number): UpstreamBudget {
  const limiter = new RateLimiterMemory({ points: requestsPerMinute, duration: 60 });
  const queue = new RateLimiterQueue(limiter, { maxQueueSize: MAX_QUEUED });
  let pausedUntil = 0;
  return {
    async acquire() {
      const started = Date.now();
      // The pause is kept to the millisecond: the limiter's own block() works in whole seconds, which turned a
      // `retry-after-ms: 20` into a one-second stop of every upstream call.
      for (let wait = pausedUntil - Date.now(); wait > 0; wait = pausedUntil - Date.now()) await sleep(wait);
      await queue.removeTokens(1);
      // A retry-after that arrived while we queued for a token holds us too (the token stays spent: erring low).
      for (let wait = pausedUntil - Date.now(); wait > 0; wait = pausedUntil - Date.now()) await sleep(wait);
      return Date.now() - started;
    },
    async pauseFor(ms) {
      const until = Date.now() + ms;
      if (ms <= 0 || until <= pausedUntil) return;
      pausedUntil = until;
    },
  };
}
