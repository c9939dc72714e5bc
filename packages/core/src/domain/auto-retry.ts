import type { PlannedChange } from './change';
import { statusChangedEvent } from './events';
import type { GenerationState } from './state';

export const RETRY_DEFERRED_MESSAGE =
  'The automatic retry is waiting: the earlier job may still finish, and a new one would be paid for twice.';
export const JOB_FINISHED_AFTER_ALL_MESSAGE = 'The earlier job finished after all; the video is being saved.';

/**
 * An automatic retry is due but the previous job may still finish (it was stopped as stuck, and upstream still
 * reports it running, or could not be asked): no new job; look again at `autoRetryAt`.
 */
export function planRetryDeferred(
  state: Pick<GenerationState, 'status'>,
  input: { autoRetryAt: Date; reason: string },
): PlannedChange {
  return {
    patch: { autoRetryAt: input.autoRetryAt },
    attempt: {},
    events: [
      {
        type: 'auto_retry_deferred',
        fromStatus: state.status,
        toStatus: state.status,
        message: RETRY_DEFERRED_MESSAGE,
        data: { reason: input.reason, retryAt: input.autoRetryAt.toISOString() },
      },
    ],
  };
}

/**
 * An automatic retry refused (the daily spend cap): the generation stays failed, and its message and history say
 * why, so the owner is not left waiting for a retry that will not come.
 */
export function planRetryRefused(
  state: Pick<GenerationState, 'status'>,
  input: { reason: string; code: string },
): PlannedChange {
  const message = `The automatic retry was not started. ${input.reason}`;
  return {
    patch: { errorMessage: message, autoRetryAt: null },
    attempt: {},
    events: [
      { type: 'auto_retry_refused', fromStatus: state.status, toStatus: state.status, message, data: { reason: input.code } },
    ],
  };
}

/**
 * The job we stopped watching (failed as stuck) completed upstream after all: follow it again, so the refresh path
 * downloads the video that was paid for, instead of starting a new job.
 */
export function planResumeFinishedJob(state: Pick<GenerationState, 'status'>, now: Date): PlannedChange {
  return {
    patch: {
      status: 'in_progress',
      errorCode: null,
      errorMessage: null,
      pollFailures: 0,
      lastPollError: null,
      upstreamAnsweringSince: now,
      progressChangedAt: now,
      nextPollAt: now,
      autoRetryAt: null,
    },
    attempt: { status: 'in_progress', errorCode: null, errorMessage: null },
    events: [statusChangedEvent(state.status, 'in_progress', JOB_FINISHED_AFTER_ALL_MESSAGE, { resumed: true })],
  };
}
