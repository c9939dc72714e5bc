import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitRule } from '../auth';
import { AppError } from '../domain';
import { RATE_LIMIT_TABLE, storableKey, type RateLimitStore } from './postgres-store';
import { grantedOfRefusedBatch } from './refused-batch';

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

/**
 * Requests one counter update takes ahead for a limit of `max` a window: max ÷ 30, at least 1. With the counter in
 * PostgreSQL a busy user's status requests then cost one write per batch instead of one each (an autocommit write,
 * with its WAL flush, on every request). What an instance took and did not use lapses with the window: a user may be
 * refused up to (batch − 1) requests early per instance, never allowed more than the limit.
 */
export function takeAheadBatch(max: number): number {
  return Math.max(1, Math.floor(max / 30));
}

/** Keys with requests taken ahead are forgotten once their window has passed; checked when there are this many. */
const RESERVE_PRUNE_AT = 10_000;

/**
 * `takeAhead`: with a shared store, take requests from the counter in batches (`takeAheadBatch`) and serve the rest
 * of a batch from this process. For high limits on frequent requests (status, content); never for a limit that
 * guards money, which must count every request where every instance sees it.
 */
export function createUserRateLimiter(
  label: string,
  rule: RateLimitRule,
  store?: RateLimitStore,
  name = label,
  takeAhead = false,
): UserRateLimiter {
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
  const batch = store && takeAhead ? takeAheadBatch(rule.max) : 1;
  /** Requests taken from the counter ahead of need, per key, and until when they are good. */
  const reserves = new Map<string, { left: number; until: number }>();
  const ready = async () => {
    if (store) await store.ensureTable().catch(() => undefined); // unreachable: the insurance limiter answers
  };
  const takeReserved = (key: string): boolean => {
    const reserve = reserves.get(key);
    if (!reserve) return false;
    if (reserve.until <= Date.now()) {
      reserves.delete(key);
      return false;
    }
    reserve.left -= 1;
    if (reserve.left <= 0) reserves.delete(key);
    return true;
  };
  const reserve = (key: string, left: number, msBeforeNext: number) => {
    if (left <= 0) return;
    if (reserves.size >= RESERVE_PRUNE_AT) for (const [k, r] of reserves) if (r.until <= Date.now()) reserves.delete(k);
    reserves.set(key, { left, until: Date.now() + msBeforeNext });
  };
  return {
    async consume(key) {
      const stored = storableKey(key);
      if (takeReserved(stored)) return;
      await ready();
      try {
        const taken = await limiter.consume(stored, batch);
        reserve(stored, batch - 1, taken.msBeforeNext);
      } catch (rejection) {
        // rate-limiter-flexible rejects with a RateLimiterRes when the limit is used up; anything else is a real error.
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const granted = grantedOfRefusedBatch(rejection, batch, rule.max);
        if (granted >= 1) {
          reserve(stored, granted - 1, rejection.msBeforeNext);
          return;
        }
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
    status: createUserRateLimiter(LABELS.status, rules.status, store, 'status', true),
    content: createUserRateLimiter(LABELS.content, rules.content, store, 'content', true),
    signInPerEmail: createUserRateLimiter(LABELS.signInPerEmail, rules.signInPerEmail, store, 'sign-in-per-email'),
    videoCreate: createUserRateLimiter(LABELS.videoCreate, rules.videoCreate, store, 'video-create'),
    tokenCreate: createUserRateLimiter(LABELS.tokenCreate, rules.tokenCreate, store, 'token-create'),
  };
}

/** Whole seconds for a `retry-after` header, never 0 (which would invite an immediate retry). */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1_000));
}
