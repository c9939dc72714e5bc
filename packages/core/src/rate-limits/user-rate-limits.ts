import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitRule } from '../auth';
import { AppError } from '../domain';
import { RATE_LIMIT_TABLE, storableKey, type RateLimitStore } from './postgres-store';

/*
 * Requests allowed per key within a window (`max: 0` turns a limit off, e.g. for a benchmark). With PostgreSQL the
 * counters live in the database (see postgres-store.ts), so every instance on it shares one budget; with PGlite
 * (one process) they live in memory.
 */
export interface RateLimitSettings {
  /** sora.generate and sora.retry together, per user: each starts a paid upstream job. */
  generate: RateLimitRule;
  /** sora.status, per user. */
  status: RateLimitRule;
  /** GET /api/videos/:id/content, per user (a player seeking sends several Range requests). */
  content: RateLimitRule;
  /** POST /api/auth/sign-in/email failures, per account and source (IP), on top of better-auth's per-IP limit. */
  signInPerEmail: RateLimitRule;
  /** videos.create, per user: each adds rows (and an event) for every open stream to read. */
  videoCreate: RateLimitRule;
  /** tokens.create, per user. */
  tokenCreate: RateLimitRule;
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
  videoCreate: { max: 60, windowSec: 60 },
  tokenCreate: { max: 10, windowSec: 60 * 60 },
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
  videoCreate: 'new video',
  tokenCreate: 'new token',
};

const unlimited: UserRateLimiter = { consume: async () => undefined, refund: async () => undefined };

export function createUserRateLimiter(label: string, rule: RateLimitRule, store?: RateLimitStore, name = label): UserRateLimiter {
  if (rule.max <= 0) return unlimited;
  const inMemory = new RateLimiterMemory({ points: rule.max, duration: rule.windowSec });
  const limiter: RateLimiterAbstract = store
    ? new RateLimiterPostgres({
        storeClient: store.client,
        storeType: 'pool',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true, // store.ensureTable() does it, awaited below
        keyPrefix: name,
        points: rule.max,
        duration: rule.windowSec,
        // While the database is unreachable, each instance counts on its own rather than refusing everyone.
        insuranceLimiter: inMemory,
      })
    : inMemory;
  const ready = async () => {
    if (store) await store.ensureTable().catch(() => undefined); // unreachable: the insurance limiter answers
  };
  return {
    async consume(key) {
      await ready();
      try {
        await limiter.consume(storableKey(key));
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
      await ready();
      await limiter.reward(storableKey(key), 1);
    },
  };
}

/** Per-user limits; counted in `store` (PostgreSQL, shared by every instance) when given, else in this process. */
export function createUserRateLimits(settings: Partial<RateLimitSettings> = {}, store?: RateLimitStore): UserRateLimits {
  const rules = { ...DEFAULT_RATE_LIMITS, ...settings };
  return {
    generate: createUserRateLimiter(LABELS.generate, rules.generate, store, 'generate'),
    status: createUserRateLimiter(LABELS.status, rules.status, store, 'status'),
    content: createUserRateLimiter(LABELS.content, rules.content, store, 'content'),
    signInPerEmail: createUserRateLimiter(LABELS.signInPerEmail, rules.signInPerEmail, store, 'sign-in-per-email'),
    videoCreate: createUserRateLimiter(LABELS.videoCreate, rules.videoCreate, store, 'video-create'),
    tokenCreate: createUserRateLimiter(LABELS.tokenCreate, rules.tokenCreate, store, 'token-create'),
  };
}

/** Whole seconds for a `retry-after` header, never 0 (which would invite an immediate retry). */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1_000));
}
