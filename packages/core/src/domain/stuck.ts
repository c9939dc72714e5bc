import type { PlannedChange } from './change';
import { statusChangedEvent } from './events';
import { FAILURE_CODES } from './failures';
import { failedMessage } from './messages';
import type { GenerationColumns, GenerationState } from './state';
import { type ActiveStatus, isActive } from './status';

/** Default for "no progress for this long means stuck" (seed: 15 minutes; configurable). */
export const DEFAULT_STUCK_TIMEOUT_MS = 15 * 60_000;

/** What the stuck decision reads of a stored generation. */
export type StuckCheckState = Pick<
  GenerationColumns,
  | 'status'
  | 'jobId'
  | 'progress'
  | 'progressChangedAt'
  | 'startedAt'
  | 'pollFailures'
  | 'lastPollError'
  | 'upstreamAnsweringSince'
  | 'leaseUntil'
>;

export type StuckVerdict =
  | { stuck: true; since: Date }
  | {
      stuck: false;
      reason: 'not_active' | 'no_job' | 'lease_held' | 'downloading' | 'upstream_unreachable' | 'progressing';
    };

/**
 * Whether a generation is stuck: upstream has answered every status request and reported no progress for at least
 * `timeoutMs`, by the database clock `dbNow`, measured from the later of the last progress change (or the job's
 * start) and the first answer after upstream was last unreachable. Never stuck: a generation someone is working on
 * (a live lease: a refresh, a download), one whose job finished upstream (at 100 %, being stored, download
 * retries included), one whose last status request went unanswered (outage, 429 back-off), or one without a job
 * (a lost create, which reconciliation settles). Exactly `timeoutMs` is stuck.
 */
export function stuckVerdict(state: StuckCheckState, dbNow: Date, timeoutMs: number): StuckVerdict {
  if (!isActive(state.status)) return { stuck: false, reason: 'not_active' };
  if (state.jobId === null) return { stuck: false, reason: 'no_job' };
  if (state.leaseUntil !== null && state.leaseUntil.getTime() > dbNow.getTime()) return { stuck: false, reason: 'lease_held' };
  if (state.progress >= 100) return { stuck: false, reason: 'downloading' };
  // Every unanswered request (outage, 429, a failed download) counts in pollFailures. lastPollError alone is not
  // enough: it also carries the note for a status we do not know, and that is an answer (one that never moves).
  if (state.pollFailures > 0 || state.upstreamAnsweringSince === null) {
    return { stuck: false, reason: 'upstream_unreachable' };
  }
  const moved = state.progressChangedAt ?? state.startedAt;
  const since = moved === null || moved < state.upstreamAnsweringSince ? state.upstreamAnsweringSince : moved;
  if (dbNow.getTime() - since.getTime() < timeoutMs) return { stuck: false, reason: 'progressing' };
  return { stuck: true, since };
}

/**
 * `upstreamAnsweringSince` after a status request: kept while upstream keeps answering (set at the first answer),
 * cleared when it could not be reached. Downloads are not status requests and leave it as it is.
 */
export function answeringSinceAfter(
  current: Date | null,
  result: 'answered' | 'unanswered' | 'not_a_status_request',
  now: Date,
): Date | null {
  if (result === 'not_a_status_request') return current;
  if (result === 'unanswered') return null;
  return current ?? now;
}

/**
 * Fails a stuck generation (after the sweep's final status request answered and showed no progress). The lease is
 * the sweeper's own (taken for this write); `autoRetryAt` is the planned automatic retry, which starts only once the
 * abandoned job has definitely ended (see `hasUpstreamJobEnded`).
 */
export function planStuckFailure(
  state: Pick<GenerationState, 'status'>,
  input: { timeoutMs: number; autoRetryAt: Date | null },
): PlannedChange {
  const from = state.status as ActiveStatus;
  const errorMessage = stuckFailureMessage(input.timeoutMs);
  return {
    patch: {
      status: 'failed',
      errorCode: FAILURE_CODES.stuckTimeout,
      errorMessage,
      nextPollAt: null,
      leaseOwner: null,
      leaseUntil: null,
      autoRetryAt: input.autoRetryAt,
    },
    events: [
      statusChangedEvent(from, 'failed', failedMessage(errorMessage), {
        errorCode: FAILURE_CODES.stuckTimeout,
        timeoutMs: input.timeoutMs,
      }),
    ],
  };
}

/** "No progress for 15 minutes, so the generation was stopped." (What to do is advice, derived for display.) */
export function stuckFailureMessage(timeoutMs: number): string {
  return `No progress for ${describeDuration(timeoutMs)}, so the generation was stopped.`;
}

/** Whole minutes when the timeout is a minute or more (rounded), seconds below (short test timeouts). */
function describeDuration(ms: number): string {
  if (ms < 60_000) return plural(Math.max(0, Math.round(ms / 1000)), 'second');
  return plural(Math.round(ms / 60_000), 'minute');
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
