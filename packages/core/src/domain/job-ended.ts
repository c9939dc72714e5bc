import { FAILURE_CODES } from './failures';
import type { GenerationStatus } from './status';
import { mapUpstreamStatus } from './upstream-status';

/** How an attempt's create call ended: `rejected` means upstream refused it, so no job (and no charge) exists. */
export type AttemptCreateOutcome = 'pending' | 'confirmed' | 'unknown' | 'rejected';

/** What an attempt's history row says about its upstream job. */
export interface AttemptFacts {
  status: GenerationStatus;
  errorCode: string | null;
  /** Text in the database; values beyond `AttemptCreateOutcome` are treated like `unknown`. */
  createOutcome: string;
  progress: number;
}

/** The error code a reset leaves on the attempt it abandoned. */
export const RESET_ERROR_CODE = 'reset';
/** The error code of an attempt whose create was never confirmed (nor found upstream) in time. */
export const CREATE_NOT_CONFIRMED_CODE = FAILURE_CODES.createNotConfirmed;

/**
 * Failures this application declares on its own while the upstream job may still be running (and billed): we
 * stopped watching (stuck sweep, reset) or never learnt whether the job exists (lost create).
 */
const MAY_STILL_RUN_CODES: ReadonlySet<string> = new Set([
  FAILURE_CODES.stuckTimeout,
  RESET_ERROR_CODE,
  CREATE_NOT_CONFIRMED_CODE,
]);

/**
 * Whether the attempt's upstream job has definitely ended, so nothing of it can still finish: the create was
 * refused (no job), or the attempt failed for a reason upstream gave (a failed job, not found, expired, cancelled,
 * a finished job whose download failed). Never while it is active or was stopped by us while it may still run.
 */
export function hasUpstreamJobEnded(attempt: AttemptFacts): boolean {
  if (attempt.createOutcome === 'rejected') return true;
  if (attempt.status !== 'failed') return false;
  return !MAY_STILL_RUN_CODES.has(attempt.errorCode?.trim().toLowerCase() ?? '');
}

/**
 * Whether the attempt counts toward the daily spend cap of the (UTC) day it was requested: every attempt whose job
 * was (or may have been) created and did not definitely fail before rendering. A reset or swept attempt still
 * counts (its job runs on and is billed); a refused create or a job that failed before finishing does not.
 */
export function countsTowardSpend(attempt: AttemptFacts): boolean {
  if (attempt.status !== 'failed' && attempt.createOutcome !== 'rejected') return true;
  return !(hasUpstreamJobEnded(attempt) && attempt.progress < 100);
}

/** What one more look at a job we stopped watching says: ended (a new job may start), finished, or still running. */
export type UpstreamJobVerdict = 'ended' | 'completed' | 'may_still_finish';

/** Upstream statuses meaning the job is over without a video (beyond the contract's `failed`). */
const ENDED_STATUSES: ReadonlySet<string> = new Set(['expired', 'cancelled', 'canceled']);

/**
 * Classifies one retrieve of a job: not found, failed, expired or cancelled → ended; completed → completed;
 * anything else (still active, an unknown status, upstream unreachable) → it may still finish.
 */
export function upstreamJobVerdict(
  answer: { kind: 'video'; status: string } | { kind: 'not_found' } | { kind: 'unavailable' },
): UpstreamJobVerdict {
  if (answer.kind === 'not_found') return 'ended';
  if (answer.kind !== 'video') return 'may_still_finish';
  const raw = answer.status.trim().toLowerCase();
  if (ENDED_STATUSES.has(raw)) return 'ended';
  const mapped = mapUpstreamStatus(answer.status);
  if (mapped === 'failed') return 'ended';
  if (mapped === 'completed') return 'completed';
  return 'may_still_finish';
}
