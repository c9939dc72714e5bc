import type { AuditEventDraft } from './events';
import type { UnavailableObservation } from './observation';
import type { GenerationStatus } from './status';

const PROBLEM_TEXT: Readonly<Record<UnavailableObservation['reason'], string>> = {
  server_error: 'The video service had a server error (5xx)',
  rate_limited: 'The video service asked us to slow down (429)',
  network: 'The video service could not be reached',
  timeout: 'The video service did not answer in time',
};

/**
 * A passing problem the job went through (a 503, a 429, a timeout) as an activity-log row: the status does not
 * change, but support and the owner can see what happened and when.
 */
export function transientProblemEvent(
  status: GenerationStatus,
  problem: { reason: UnavailableObservation['reason']; retryAfterMs: number | null },
): AuditEventDraft {
  const wait = problem.retryAfterMs ? `; it asked to wait ${Math.ceil(problem.retryAfterMs / 1000)} s` : '';
  return {
    type: 'transient_problem',
    fromStatus: status,
    toStatus: status,
    message: `${PROBLEM_TEXT[problem.reason]}${wait}. Checked again later; nothing was lost.`,
    data: { reason: problem.reason, retryAfterMs: problem.retryAfterMs },
  };
}

export interface RunTimes {
  requestedAt: Date | null;
  queuedAt: Date | null;
  inProgressAt: Date | null;
  finishedAt: Date | null;
}

export interface RunDurations {
  /** Waiting in the video service's queue: from the job's acceptance to generating (or to the end). */
  queuedMs: number | null;
  /** From the request to the end (completed or failed). */
  totalMs: number | null;
}

/** How long a run took and how much of it was spent queued; null where a time is unknown. */
export function runDurations(times: RunTimes): RunDurations {
  const span = (from: Date | null, to: Date | null) =>
    from && to && to.getTime() >= from.getTime() ? to.getTime() - from.getTime() : null;
  return {
    queuedMs: span(times.queuedAt, times.inProgressAt ?? times.finishedAt),
    totalMs: span(times.requestedAt ?? times.queuedAt, times.finishedAt),
  };
}
