import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitRule } from '../auth';
import { AppError } from '../domain';

/*
 * Requests allowed per key within a window (`max: 0` turns a limit off, e.g. for a benchmark). The counters live in
 * this process's memory: with several instances each one counts on its own, so the effective limit is up to
 * instances × max. Good enough against a script hammering one instance; better-auth's per-IP sign-in limit is the
 * shared (database) one.
 */
export interface RateLimitSettings {
  /** sora.generate and sora.retry together, per user: each starts a paid upstream job. */
  generate: RateLimitRule;
  /** sora.status, per user. */
  status: RateLimitRule;
  /** GET /api/videos/:id/content, per user (a player seeking sends several Range requests). */
  content: RateLimitRule;
  /** POST /api/auth/sign-in/email, per email address, on top of better-auth's per-IP limit. */
  signInPerEmail: RateLimitRule;
}

/**
 * Defaults far above what the web app does on its own (it polls each active video's status every 3 s, so 600 a
 * minute covers 30 active videos on screen at once) and far below what a script hammering the API would send.
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  generate: { max: 20, windowSec: 60 },
  status: { max: 600, windowSec: 60 },
  content: { max: 600, windowSec: 60 },
  signInPerEmail: { max: 10, windowSec: 15 * 60 },
};

export interface UserRateLimiter {
  /** Counts one request for `key`; throws TOO_MANY_REQUESTS (with retryAfterMs) when the limit is used up. */
  consume(key: string): Promise<void>;
  /** Gives one request back (a sign-in that succeeded should not count towards locking the account). */
  refund(key: string): Promise<void>;
}

export type UserRateLimits = Record<keyof RateLimitSettings, UserRateLimiter>;

/** What each limit is called in its message: "Too many status requests; try again in 12 s." */
const LABELS: Record<keyof RateLimitSettings, string> = {
  generate: 'generation',
  status: 'status',
  content: 'download',
  signInPerEmail: 'sign-in',
};

const unlimited: UserRateLimiter = { consume: async () => undefined, refund: async () => undefined };

export function createUserRateLimiter(label: string, rule: RateLimitRule): UserRateLimiter {
  if (rule.max <= 0) return unlimited;
  const limiter = new RateLimiterMemory({ points: rule.max, duration: rule.windowSec });
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
      } catch (rejection) {
        // rate-limiter-flexible rejects with a RateLimiterRes when the limit is used up; anything else is a real error.
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retryAfterMs = Math.max(1_000, rejection.msBeforeNext);
        const seconds = Math.ceil(retryAfterMs / 1_000);
        throw new AppError('TOO_MANY_REQUESTS', `Too many ${label} requests; try again in ${seconds} s.`, {
          retryAfterMs,
        });
      }
    },
    async refund(key) {
      await limiter.reward(key, 1);
    },
  };
}

export function createUserRateLimits(settings: Partial<RateLimitSettings> = {}): UserRateLimits {
  const rules = { ...DEFAULT_RATE_LIMITS, ...settings };
  return {
    generate: createUserRateLimiter(LABELS.generate, rules.generate),
    status: createUserRateLimiter(LABELS.status, rules.status),
    content: createUserRateLimiter(LABELS.content, rules.content),
    signInPerEmail: createUserRateLimiter(LABELS.signInPerEmail, rules.signInPerEmail),
  };
}

/** Whole seconds for a `retry-after` header, never 0 (which would invite an immediate retry). */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1_000));
}
