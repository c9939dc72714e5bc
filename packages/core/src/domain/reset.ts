import { AppError } from './errors';
import { type AuditEventDraft } from './events';
import {
  CANNOT_RESET_COMPLETED_MESSAGE,
  GENERATION_ALREADY_ACTIVE_MESSAGE,
  RESET_SUCCESS_MESSAGE,
} from './messages';
import type { GenerationPatch, GenerationState } from './state';
import { isActive } from './status';

export interface ResetPlan {
  patch: GenerationPatch;
  event: AuditEventDraft;
  /** "Sora generation reset successfully. You can now retry." */
  message: string;
}

/**
 * Clears the current attempt so a new generation can start: status, job, timing, error, progress and the
 * poll/lease columns (so a poller holding the old lease cannot write). Any earlier completed video (URL,
 * completion time, cost, blob) is deliberately kept. A completed generation cannot be reset (seed rule).
 * Resetting an active job does not cancel it upstream: its later observations are ignored.
 */
export function planReset(state: Pick<GenerationState, 'status'>): ResetPlan {
  if (state.status === 'completed') throw new AppError('BAD_REQUEST', CANNOT_RESET_COMPLETED_MESSAGE);
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
    },
    event: {
      type: 'reset',
      fromStatus: state.status,
      toStatus: 'not_started',
      message: RESET_SUCCESS_MESSAGE,
      data: {},
    },
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
