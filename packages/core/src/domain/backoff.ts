import type { RefreshOutcome } from './observation';
import { type GenerationStatus, isActive } from './status';

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** Uniform in [0, 1): `Math.random` in production, a fixed value in tests. */
  random: () => number;
}

/**
 * Delay before the next try after `failures` consecutive failures: exponential back-off with full jitter,
 * uniform in [0, min(capMs, baseMs * 2^(failures - 1))). Full jitter spreads many pollers hitting one
 * recovering upstream. 0 when nothing failed. A `retry-after` replaces it (see `unavailableRetryDelayMs`).
 */
export function backoffDelayMs(failures: number, { baseMs, capMs, random }: BackoffOptions): number {
  if (failures <= 0) return 0;
  return Math.floor(unitRandom(random) * exponentialCeiling(failures, baseMs, capMs));
}

export interface RetryOptions extends BackoffOptions {
  /** Automatic re-generations allowed; later attempts get null (give up, leave it to the user). */
  maxAttempts: number;
}

/**
 * Delay before automatic re-generation attempt `attempt` (1 = first retry), or null once attempts are used
 * up. "Equal jitter": at least half the exponential delay, so a retry never fires immediately (each one
 * costs money), plus a random half so retries of many videos do not land together.
 */
export function retryDelayMs(
  attempt: number,
  { baseMs, capMs, random, maxAttempts }: RetryOptions,
): number | null {
  if (attempt < 1 || attempt > maxAttempts) return null;
  const ceiling = exponentialCeiling(attempt, baseMs, capMs);
  return Math.floor(ceiling / 2 + (unitRandom(random) * ceiling) / 2);
}

export interface PollDelayInput {
  status: GenerationStatus;
  progress: number;
  /** Recent progress speed in percentage points per second (see `progressRatePerSec`), when known. */
  progressRatePerSec?: number | null;
  minMs: number;
  maxMs: number;
  /** The regular poll interval (30 s by default). */
  defaultMs: number;
}

/** Queued jobs have no progress to watch and usually wait a while: poll them this much less often. */
export const QUEUED_POLL_FACTOR = 2;
/** Without a known speed, progress at or above this means the end is near. */
export const NEAR_END_PROGRESS = 90;

/**
 * Adaptive delay until the next poll of an active generation, always within [minMs, maxMs]; null for a
 * generation that is not active (nothing to poll). With a known progress speed it polls around the
 * expected finish if that comes before the regular interval; near the end without a speed, at half the
 * interval; while queued, less often.
 */
export function nextPollDelayMs(input: PollDelayInput): number | null {
  const { status, progress, progressRatePerSec, defaultMs } = input;
  if (!isActive(status)) return null;
  const rate = progressRatePerSec ?? 0;
  let delay: number;
  if (status === 'queued') delay = defaultMs * QUEUED_POLL_FACTOR;
  else if (rate > 0 && Number.isFinite(rate)) delay = Math.min(defaultMs, ((100 - progress) / rate) * 1000);
  else if (progress >= NEAR_END_PROGRESS) delay = defaultMs / 2;
  else delay = defaultMs;
  return clamp(Math.round(delay), input.minMs, input.maxMs);
}

function exponentialCeiling(n: number, baseMs: number, capMs: number): number {
  // The exponent is bounded so a long outage cannot overflow into Infinity (or NaN when baseMs is 0).
  return Math.min(capMs, baseMs * 2 ** Math.min(n - 1, 52));
}

function unitRandom(random: () => number): number {
  const value = random();
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

function clamp(value: number, minMs: number, maxMs: number): number {
  return Math.min(Math.max(value, minMs), Math.max(minMs, maxMs));
}

/**
 * Delay before asking again after `failures` consecutive unanswered requests. A `retry-after` the service sent is
 * when it said it will answer again: the next poll goes then, not later, since a longer back-off only keeps showing a
 * stale status (a 1 s retry-after once left a finished job "Queued" for 71 s). Without one: exponential back-off with
 * full jitter, never below `baseMs`.
 */
export function unavailableRetryDelayMs(failures: number, retryAfterMs: number | null, options: BackoffOptions): number {
  if (retryAfterMs !== null && Number.isFinite(retryAfterMs) && retryAfterMs > 0) return Math.ceil(retryAfterMs);
  return Math.max(options.baseMs, backoffDelayMs(failures, options));
}

/** The poll and retry cadence settings the schedule below reads. */
export interface ScheduleSettings {
  /** The poll interval; adaptive scheduling stays within [pollIntervalMs / 6, pollIntervalMs * 2]. */
  pollIntervalMs: number;
  /** The first automatic retry's delay; it doubles (with jitter) per attempt, capped at 32 times. */
  retryBaseMs: number;
  maxAttempts: number;
}

/**
 * When the poller should look at a generation again: adaptive while it is tracking, backing off (honouring
 * retry-after) while upstream is unavailable or a download is retried, never when it is finished (except to try a
 * missing thumbnail again). Never sooner than `spacingMs` (see `pollSpacing`): the upstream budget shared by every
 * active generation decides how often each one may be asked, whatever its own cadence would like.
 */
export function nextPollAt(
  now: Date,
  state: { status: GenerationStatus; progress: number },
  outcome: RefreshOutcome | null,
  settings: Pick<ScheduleSettings, 'pollIntervalMs'>,
  random: () => number = Math.random,
  spacingMs = 0,
): Date | null {
  // A completed video is polled no more; only a missing thumbnail may be tried again later.
  if (outcome?.kind === 'completed') return outcome.thumbnailRetryAt ?? null;
  const minMs = Math.max(1_000, Math.round(settings.pollIntervalMs / 6));
  const maxMs = settings.pollIntervalMs * 2;
  if (outcome && (outcome.kind === 'temporarily_unavailable' || outcome.kind === 'download_retry')) {
    const retryAfterMs = outcome.kind === 'temporarily_unavailable' ? outcome.retryAfterMs : null;
    const delay = unavailableRetryDelayMs(outcome.pollFailures, retryAfterMs, { baseMs: minMs, capMs: settings.pollIntervalMs * 10, random });
    return new Date(now.getTime() + Math.max(delay, spacingMs));
  }
  const delay = nextPollDelayMs({ ...state, minMs, maxMs, defaultMs: settings.pollIntervalMs });
  return delay === null ? null : new Date(now.getTime() + Math.max(delay, spacingMs));
}

/**
 * When automatic attempt `attempt` (2 = the first retry) may start, or null once attempts are used up: `retryDelayMs`
 * with the configured base, capped at 32 times it.
 */
export function autoRetryAt(
  attempt: number,
  now: Date,
  settings: Pick<ScheduleSettings, 'retryBaseMs' | 'maxAttempts'>,
  random: () => number = Math.random,
): Date | null {
  const delay = retryDelayMs(attempt, {
    baseMs: settings.retryBaseMs,
    capMs: settings.retryBaseMs * 32,
    random,
    maxAttempts: settings.maxAttempts,
  });
  return delay === null ? null : new Date(now.getTime() + delay);
}
