import type { Scenario } from './scenarios';
import type { UnknownVideoStatus, VideoError, VideoStatus } from './wire';

/** A job waits in `queued` for the first 15% of its generation time, like a real queue before a worker picks it up. */
export const QUEUED_FRACTION = 0.15;
/** `[sim:fail]` jobs fail 60% of the way through: late enough to have shown progress, so "failed after progress" is tested. */
export const FAIL_FRACTION = 0.6;
/** `[sim:unknown-status]` reports the undefined status for the first 30% (covers queued and early in_progress). */
export const UNKNOWN_STATUS_FRACTION = 0.3;
/** Download links of a completed video last one hour, as upstream; then the job reports `expired`, as Sora does. */
export const CONTENT_LIFETIME_MS = 60 * 60 * 1000;

export interface JobPlan {
  createdAtMs: number;
  durationMs: number;
  scenario: Scenario;
}

export interface Observation {
  status: VideoStatus | UnknownVideoStatus;
  progress: number;
  /** When the job reached completed, failed or cancelled, else null (also for a job that expired unfinished). */
  finishedAtMs: number | null;
  /** When the job's retention ends: set once completed (or when a `[sim:retention]` job expired unfinished). */
  expiresAtMs: number | null;
  error: VideoError | null;
}

/**
 * Where a job stands at `nowMs`. A pure function of the plan and the clock, so progress only ever moves forward and
 * tests with an injected clock are exact.
 */
export function observe(plan: JobPlan, nowMs: number): Observation {
  const generation = observeGeneration(plan, nowMs);
  const { scenario, createdAtMs } = plan;
  const cancelAtMs = scenario.cancelAfterMs === null ? null : createdAtMs + scenario.cancelAfterMs;
  const finishedBeforeCancel =
    generation.finishedAtMs !== null && (cancelAtMs === null || generation.finishedAtMs <= cancelAtMs);
  if (cancelAtMs !== null && nowMs >= cancelAtMs && !finishedBeforeCancel) {
    const atCancel = observeGeneration(plan, cancelAtMs - 1);
    return { ...atCancel, status: 'cancelled', finishedAtMs: cancelAtMs, expiresAtMs: null, error: null };
  }
  if (generation.status === 'failed') return generation;

  // Retention: a completed video's download window, or a `[sim:retention]` job's whole life, whichever ends first.
  const markerEndMs = scenario.retentionMs === null ? null : createdAtMs + scenario.retentionMs;
  const windowEndMs = generation.finishedAtMs === null ? null : generation.finishedAtMs + CONTENT_LIFETIME_MS;
  const candidates = [markerEndMs, windowEndMs].filter((value): value is number => value !== null);
  const expiresAtMs = candidates.length === 0 ? null : Math.min(...candidates);
  if (expiresAtMs !== null && nowMs >= expiresAtMs) {
    return { ...observeGeneration(plan, expiresAtMs - 1), status: 'expired', expiresAtMs };
  }
  return { ...generation, expiresAtMs: generation.status === 'completed' ? expiresAtMs : null };
}

/** The generation alone (queued → in_progress → completed / failed), before cancellation and retention. */
function observeGeneration(plan: JobPlan, nowMs: number): Observation {
  const { durationMs, scenario } = plan;
  const elapsed = Math.max(0, nowMs - plan.createdAtMs);

  if (scenario.fail) {
    const failAfter = durationMs * FAIL_FRACTION;
    if (elapsed >= failAfter) {
      return {
        status: 'failed',
        progress: progressAt(failAfter, durationMs),
        finishedAtMs: plan.createdAtMs + failAfter,
        expiresAtMs: null,
        error: scenario.fail,
      };
    }
  }

  if (scenario.stuckAt === null && elapsed >= durationMs) {
    return {
      status: 'completed',
      progress: 100,
      finishedAtMs: plan.createdAtMs + durationMs,
      expiresAtMs: null,
      error: null,
    };
  }

  let progress = progressAt(elapsed, durationMs);
  if (scenario.stuckAt !== null) progress = Math.min(progress, scenario.stuckAt);
  let status: Observation['status'] = elapsed < durationMs * QUEUED_FRACTION ? 'queued' : 'in_progress';
  if (scenario.unknownStatus && elapsed < durationMs * UNKNOWN_STATUS_FRACTION) status = 'preprocessing';
  return { status, progress, finishedAtMs: null, expiresAtMs: null, error: null };
}

/** Integer percent of the in-progress phase done; 0 while queued, and 100 only once elapsed reaches the duration. */
function progressAt(elapsed: number, durationMs: number): number {
  const queuedMs = durationMs * QUEUED_FRACTION;
  if (elapsed <= queuedMs) return 0;
  return Math.min(100, Math.floor(((elapsed - queuedMs) / (durationMs - queuedMs)) * 100));
}

export type TerminalStatus = 'completed' | 'failed' | 'cancelled' | 'expired';

export function isTerminal(status: Observation['status']): status is TerminalStatus {
  return status === 'completed' || status === 'failed' || status === 'cancelled' || status === 'expired';
}
