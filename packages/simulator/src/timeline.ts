import type { Scenario } from './scenarios';
import type { UnknownVideoStatus, VideoError, VideoStatus } from './wire';

/** A job waits in `queued` for the first 15% of its generation time, like a real queue before a worker picks it up. */
export const QUEUED_FRACTION = 0.15;
/** `[sim:fail]` jobs fail 60% of the way through: late enough to have shown progress, so "failed after progress" is tested. */
export const FAIL_FRACTION = 0.6;
/** `[sim:unknown-status]` reports the undefined status for the first 30% (covers queued and early in_progress). */
export const UNKNOWN_STATUS_FRACTION = 0.3;
/** Download links of a completed video last one hour, as upstream. */
export const CONTENT_LIFETIME_MS = 60 * 60 * 1000;

export interface JobPlan {
  createdAtMs: number;
  durationMs: number;
  scenario: Scenario;
}

export interface Observation {
  status: VideoStatus | UnknownVideoStatus;
  progress: number;
  /** When the job reached completed or failed, else null. */
  finishedAtMs: number | null;
  error: VideoError | null;
}

/**
 * Where a job stands at `nowMs`. A pure function of the plan and the clock, so progress only ever moves forward and
 * tests with an injected clock are exact.
 */
export function observe(plan: JobPlan, nowMs: number): Observation {
  const { durationMs, scenario } = plan;
  const elapsed = Math.max(0, nowMs - plan.createdAtMs);

  if (scenario.fail) {
    const failAfter = durationMs * FAIL_FRACTION;
    if (elapsed >= failAfter) {
      return {
        status: 'failed',
        progress: progressAt(failAfter, durationMs),
        finishedAtMs: plan.createdAtMs + failAfter,
        error: scenario.fail,
      };
    }
  }

  if (scenario.stuckAt === null && elapsed >= durationMs) {
    return { status: 'completed', progress: 100, finishedAtMs: plan.createdAtMs + durationMs, error: null };
  }

  let progress = progressAt(elapsed, durationMs);
  if (scenario.stuckAt !== null) progress = Math.min(progress, scenario.stuckAt);
  let status: Observation['status'] = elapsed < durationMs * QUEUED_FRACTION ? 'queued' : 'in_progress';
  if (scenario.unknownStatus && elapsed < durationMs * UNKNOWN_STATUS_FRACTION) status = 'preprocessing';
  return { status, progress, finishedAtMs: null, error: null };
}

/** Integer percent of the in-progress phase done; 0 while queued, and 100 only once elapsed reaches the duration. */
function progressAt(elapsed: number, durationMs: number): number {
  const queuedMs = durationMs * QUEUED_FRACTION;
  if (elapsed <= queuedMs) return 0;
  return Math.min(100, Math.floor(((elapsed - queuedMs) / (durationMs - queuedMs)) * 100));
}

export function isTerminal(status: Observation['status']): status is 'completed' | 'failed' {
  return status === 'completed' || status === 'failed';
}
