import { type AuditEventDraft, statusChangedEvent } from './events';
import { statusMessage } from './messages';
import { assertCanStartGeneration } from './reset';
import type { GenerationPatch, GenerationState } from './state';

export interface StartPlan {
  patch: GenerationPatch;
  event: AuditEventDraft;
}

/**
 * The write after upstream accepted a new job: a fresh attempt, queued, measured from `now`.
 * Throws CONFLICT when a generation is already active (checked again here because the caller's
 * first check happened before the upstream call).
 */
export function planStart(state: Pick<GenerationState, 'status'>, jobId: string, now: Date): StartPlan {
  assertCanStartGeneration(state);
  return {
    patch: {
      status: 'queued',
      jobId,
      startedAt: now,
      progress: 0,
      progressChangedAt: now,
      errorCode: null,
      errorMessage: null,
      pollFailures: 0,
      upstreamExpiresAt: null,
    },
    event: statusChangedEvent(
      state.status,
      'queued',
      statusMessage({ status: 'queued', progress: 0, errorMessage: null }),
      {
        jobId,
      },
    ),
  };
}
