import { AppError } from './errors';
import type { AuditEventDraft } from './events';
import type { GenerationStatus } from './status';

export const NO_AUTO_RETRY_PLANNED_MESSAGE = 'No automatic retry is planned for this video.';
export const AUTO_RETRY_CANCELLED_MESSAGE = 'Automatic retry cancelled. The generation stays failed; you can retry it yourself.';

export interface AutoRetryState {
  status: GenerationStatus;
  autoRetryAt: Date | null;
}

/**
 * Cancels a planned automatic retry: the failed generation stays failed and nothing new is started. Refused when
 * none is planned (it may have started a moment ago: the caller then sees the new attempt).
 */
export function planCancelAutoRetry(state: AutoRetryState): { autoRetryAt: null; event: AuditEventDraft } {
  if (state.status !== 'failed' || state.autoRetryAt === null) {
    throw new AppError('BAD_REQUEST', NO_AUTO_RETRY_PLANNED_MESSAGE);
  }
  return {
    autoRetryAt: null,
    event: {
      // Not a status change: the failed generation simply has no automatic retry any more.
      type: 'auto_retry_cancelled',
      fromStatus: 'failed',
      toStatus: 'failed',
      message: AUTO_RETRY_CANCELLED_MESSAGE,
      data: { plannedFor: state.autoRetryAt.toISOString() },
    },
  };
}

export interface AutoRetryNotice {
  /** Whole seconds until the retry starts (0 once it is due: the worker starts it within its tick). */
  secondsLeft: number;
  /** "Retrying automatically in 38 s (attempt 2 of 3)". */
  text: string;
}

/**
 * What a failed generation with a planned automatic retry shows instead of a final failure: a countdown and the
 * attempt it will be. `attempt` is the number of the attempt that failed (null: unknown, then not mentioned).
 */
export function autoRetryNotice(input: { autoRetryAt: Date; now: Date; attempt: number | null; maxAttempts: number | null }): AutoRetryNotice {
  const secondsLeft = Math.max(0, Math.ceil((input.autoRetryAt.getTime() - input.now.getTime()) / 1000));
  const when = secondsLeft > 0 ? `in ${formatCountdown(secondsLeft)}` : 'now';
  if (input.attempt === null) return { secondsLeft, text: `Retrying automatically ${when}` };
  const next = input.attempt + 1;
  const of = input.maxAttempts ? `attempt ${next} of ${input.maxAttempts}` : `attempt ${next}`;
  return { secondsLeft, text: `Retrying automatically ${when} (${of})` };
}

function formatCountdown(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
}
