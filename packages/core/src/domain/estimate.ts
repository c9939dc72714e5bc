import { clampProgress } from './progress';
import type { GenerationStatus } from './status';

/** One observed progress value and when it was observed. */
export interface ProgressSample {
  at: Date;
  progress: number;
}

export interface RateInput {
  progress: number;
  startedAt: Date | null;
  /** When `progress` was reached; defaults to `now`. */
  progressChangedAt?: Date | null;
  now: Date;
  /** Recent samples of this attempt (the caller picks the window); the first-to-last speed is used. */
  samples?: readonly ProgressSample[];
}

export interface EstimateInput extends RateInput {
  status: GenerationStatus;
  /** Total durations (start to completion) of similar past generations (same model, size, seconds). */
  pastDurationsMs?: readonly number[];
}

/** A speed measured over less time than this is noise (one early jump would promise a finish in seconds). */
export const MIN_RATE_WINDOW_MS = 2_000;
/** Fewer past durations than this are an anecdote, not a basis for an estimate. */
export const MIN_PAST_DURATIONS = 3;
/** Progress that has not moved for this long (at least) is stalled: no estimate while nothing moves. */
export const MIN_STALL_MS = 10_000;
/** ...or for as long as this many points take at the measured speed, when that is longer. */
const STALL_POINTS = 20;

/**
 * Progress speed in percentage points per second: from the samples when they span enough time with some
 * gain, else the average since the attempt started (it includes queue time, so it errs on the slow side).
 * Null when there is no basis: no progress yet, or too little elapsed time.
 */
export function progressRatePerSec(input: RateInput): number | null {
  const samples = (input.samples ?? [])
    .filter((sample) => Number.isFinite(sample.progress) && Number.isFinite(sample.at.getTime()))
    .toSorted((a, b) => a.at.getTime() - b.at.getTime());
  const first = samples[0];
  const last = samples.at(-1);
  if (first && last) {
    const spanMs = last.at.getTime() - first.at.getTime();
    const gain = last.progress - first.progress;
    if (spanMs >= MIN_RATE_WINDOW_MS && gain > 0) return gain / (spanMs / 1000);
  }
  const progress = clampProgress(input.progress) ?? 0;
  if (progress <= 0 || input.startedAt === null) return null;
  const spanMs = (input.progressChangedAt ?? input.now).getTime() - input.startedAt.getTime();
  return spanMs >= MIN_RATE_WINDOW_MS ? progress / (spanMs / 1000) : null;
}

/**
 * Milliseconds until an active generation is likely done, or null when there is no honest basis (never a
 * made-up number). Once progress moves: from its speed, projected from when the current progress was
 * reached. Before that (or when that projection is already overdue): the median of similar past
 * durations minus the time elapsed. Null for inactive generations, at 100% (saving time is not
 * estimated) and when every basis is overdue.
 */
export function estimateRemainingMs(input: EstimateInput): number | null {
  if (input.status !== 'queued' && input.status !== 'in_progress') return null;
  const progress = clampProgress(input.progress) ?? 0;
  if (progress >= 100) return null;
  const now = input.now.getTime();

  if (input.status === 'in_progress' && progress > 0) {
    const rate = progressRatePerSec(input);
    if (rate !== null) {
      // Once progress has moved, its speed is the basis; when that runs out (overdue, or nothing moves), the
      // typical duration of other generations says nothing about this stalled one.
      if (isProgressStalled(input)) return null;
      const reachedAt = (input.progressChangedAt ?? input.now).getTime();
      const remaining = reachedAt + ((100 - progress) / rate) * 1000 - now;
      return remaining > 0 ? Math.round(remaining) : null;
    }
  }

  const typical = median((input.pastDurationsMs ?? []).filter((ms) => Number.isFinite(ms) && ms > 0));
  if (typical === null || input.startedAt === null) return null;
  const remaining = typical - (now - input.startedAt.getTime());
  return remaining > 0 ? Math.round(remaining) : null;
}

/**
 * Whether an in-progress generation's progress has stopped moving: unchanged for MIN_STALL_MS, or for as long as
 * STALL_POINTS points take at its measured speed when that is longer. False before progress first moves.
 */
export function isProgressStalled(input: RateInput & { status: GenerationStatus }): boolean {
  if (input.status !== 'in_progress' || !input.progressChangedAt) return false;
  const progress = clampProgress(input.progress) ?? 0;
  if (progress <= 0 || progress >= 100) return false;
  const rate = progressRatePerSec(input);
  const allowedMs = Math.max(MIN_STALL_MS, rate ? (STALL_POINTS / rate) * 1000 : 0);
  return input.now.getTime() - input.progressChangedAt.getTime() >= allowedMs;
}

/** "about 40 s left", "about 2 min left", "about 1 h 5 min left": seconds once the estimate is under a minute. */
export function formatRemaining(ms: number): string {
  if (!Number.isFinite(ms)) return 'time left unknown';
  if (ms < 10_000) return 'a few seconds left';
  // Rounded to 5 s: an estimate is not a stopwatch.
  if (ms < 57_500) return `about ${Math.round(ms / 5_000) * 5} s left`;
  if (ms < 60_000) return 'about 1 min left';
  const totalMinutes = Math.round(ms / 60_000);
  if (totalMinutes < 60) return `about ${totalMinutes} min left`;
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return minutes === 0 ? `about ${hours} h left` : `about ${hours} h ${minutes} min left`;
}

function median(values: readonly number[]): number | null {
  if (values.length < MIN_PAST_DURATIONS) return null;
  const sorted = values.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
}
