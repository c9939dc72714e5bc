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
 * recovering upstream. 0 when nothing failed. Callers honour a `retry-after` by taking the larger value.
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
