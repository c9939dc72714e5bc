import { AppError } from './errors';
import type { PlannedChange } from './change';
import { RESET_ERROR_CODE } from './job-ended';
import {
  CANNOT_RESET_COMPLETED_MESSAGE,
  GENERATION_ALREADY_ACTIVE_MESSAGE,
  RESET_SUCCESS_MESSAGE,
} from './messages';
import type { GenerationState } from './state';
import { isActive } from './status';

export interface ResetPlan extends PlannedChange {
  /** "Sora generation reset successfully. You can now retry." */
  message: string;
}

/** What the history shows on an attempt a reset abandoned while it was active. */
export const RESET_ABANDONED_MESSAGE = 'Reset by the user while the job was running; it may still be billed.';

/**
 * Clears the current attempt so a new generation can start: status, job, timing, error, progress and the
 * poll/lease columns (so a poller holding the old lease cannot write). Any earlier completed video (URL,
 * completion time, cost, blob) is deliberately kept. A completed generation cannot be reset (seed rule).
 * Resetting an active job does not cancel it upstream (the contract has no cancel): its later observations are
 * ignored, and its attempt is marked abandoned by a reset, which keeps counting toward the daily spend cap.
 */
export function planReset(state: Pick<GenerationState, 'status' | 'jobId'>): ResetPlan {
  if (state.status === 'completed') throw new AppError('BAD_REQUEST', CANNOT_RESET_COMPLETED_MESSAGE);
  const abandoned = isActive(state.status);
  return {
    patch: {
      status: 'not_started',
      jobId: null,
      startedAt: null,
      errorCode: null,
      errorMessage: null,
      progress: 0,
      progressChangedAt: null,
      // The abandoned job's download deadline means nothing for the next one.
      upstreamExpiresAt: null,
      nextPollAt: null,
      leaseOwner: null,
      leaseUntil: null,
      pollFailures: 0,
      lastPollError: null,
      lastPolledAt: null,
      upstreamAnsweringSince: null,
      autoRetryAt: null,
    },
    // The abandoned attempt stays in the history, marked as ended by the reset (its job may still run upstream).
    attempt: abandoned ? { status: 'failed', errorCode: RESET_ERROR_CODE, errorMessage: RESET_ABANDONED_MESSAGE } : {},
    events: [
      {
        type: 'reset',
        fromStatus: state.status,
        toStatus: 'not_started',
        message: RESET_SUCCESS_MESSAGE,
        data: abandoned ? { abandonedJobId: state.jobId } : {},
      },
    ],
    message: RESET_SUCCESS_MESSAGE,
  };
}

/**
 * Refuses a second generation while one is queued or running (CONFLICT). Not started, failed and completed
 * generations may start a new one; a completed video stays until the new one replaces it.
 */
export function assertCanStartGeneration(state: Pick<GenerationState, 'status'>): void {
  if (isActive(state.status)) throw new AppError('CONFLICT', GENERATION_ALREADY_ACTIVE_MESSAGE);
}
