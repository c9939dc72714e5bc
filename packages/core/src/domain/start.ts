import type { PlannedChange } from './change';
import { statusChangedEvent } from './events';
import { failedMessage } from './messages';
import { CREATE_NOT_CONFIRMED_CODE } from './job-ended';
import type { GenerationState } from './state';

export const GENERATION_REQUESTED_MESSAGE = 'Generation requested from the video service.';
export const CREATE_UNCONFIRMED_MESSAGE =
  'The video service did not confirm the request; checking whether the job was created before trying again.';

/**
 * A new attempt, recorded before its create call: queued without a job, every trace of the previous attempt's
 * polling cleared, due for its first look at once. Any earlier finished video (URL, blob, cost) is kept.
 */
export function planBeginAttempt(state: Pick<GenerationState, 'status'>, input: { attempt: number; now: Date }): PlannedChange {
  return {
    patch: {
      status: 'queued',
      jobId: null,
      progress: 0,
      errorCode: null,
      errorMessage: null,
      startedAt: null,
      upstreamExpiresAt: null,
      progressChangedAt: input.now,
      pollFailures: 0,
      lastPollError: null,
      lastPolledAt: null,
      upstreamAnsweringSince: null,
      nextPollAt: input.now,
      leaseOwner: null,
      leaseUntil: null,
      autoRetryAt: null,
    },
    events: [
      {
        type: 'generation_requested',
        fromStatus: state.status,
        toStatus: 'queued',
        message: GENERATION_REQUESTED_MESSAGE,
        data: { attempt: input.attempt },
      },
    ],
  };
}

/** Upstream accepted the create (or a lost create was found): the job is tied to the attempt and polled from now. */
export function planJobConfirmed(
  state: Pick<GenerationState, 'status'>,
  input: { jobId: string; createdAt: Date | null; expiresAt: Date | null; reconciled: boolean; now: Date; firstPollAt: Date | null },
): PlannedChange {
  return {
    patch: {
      jobId: input.jobId,
      // A service that sends no created_at: the attempt started when we learned of the job (the database clock).
      startedAt: input.createdAt ?? input.now,
      upstreamExpiresAt: input.expiresAt,
      // Upstream just answered (the create or the lookup that found the job).
      upstreamAnsweringSince: input.now,
      nextPollAt: input.firstPollAt,
      leaseOwner: null,
      leaseUntil: null,
    },
    attempt: { jobId: input.jobId, createOutcome: 'confirmed', startedAt: input.createdAt ?? input.now },
    events: [
      {
        type: 'job_created',
        fromStatus: state.status,
        toStatus: state.status,
        message: input.reconciled
          ? `The video service had accepted the request although its answer was lost (job ${input.jobId}).`
          : `The video service accepted the request (job ${input.jobId}).`,
        data: { jobId: input.jobId, reconciled: input.reconciled },
      },
    ],
  };
}

/** Upstream certainly did not create the job (refused, or busy): the attempt failed and nothing is billed. */
export function planCreateRejected(
  state: Pick<GenerationState, 'status'>,
  input: { code: string; message: string },
): PlannedChange {
  return {
    patch: { status: 'failed', errorCode: input.code, errorMessage: input.message, nextPollAt: null },
    attempt: { status: 'failed', errorCode: input.code, errorMessage: input.message, createOutcome: 'rejected' },
    events: [statusChangedEvent(state.status, 'failed', failedMessage(input.message), { code: input.code })],
  };
}

/** The create's answer was lost: the job may exist, so it is looked up (by the poller) rather than created again. */
export function planCreateUnconfirmed(state: Pick<GenerationState, 'status'>, input: { reason: string }): PlannedChange {
  return {
    patch: { lastPollError: input.reason },
    attempt: { createOutcome: 'unknown' },
    events: [
      {
        type: 'create_unconfirmed',
        fromStatus: state.status,
        toStatus: state.status,
        message: CREATE_UNCONFIRMED_MESSAGE,
        data: { reason: input.reason },
      },
    ],
  };
}

export const CREATE_NOT_CONFIRMED_MESSAGE =
  'The video service never confirmed the request, so no video is being generated.';

/**
 * A create whose answer was lost and whose job never showed up in time: the attempt fails. The job may still exist
 * upstream, so an automatic retry does not treat it as ended and the spend cap keeps counting it.
 */
export function planCreateNotConfirmed(from: GenerationState['status']): PlannedChange {
  return {
    patch: {
      status: 'failed',
      errorCode: CREATE_NOT_CONFIRMED_CODE,
      errorMessage: CREATE_NOT_CONFIRMED_MESSAGE,
      nextPollAt: null,
      leaseOwner: null,
      leaseUntil: null,
    },
    events: [statusChangedEvent(from, 'failed', CREATE_NOT_CONFIRMED_MESSAGE)],
  };
}
