import { type AuditEventDraft, statusChangedEvent } from './events';
import { FAILURE_CODES } from './failures';
import { failedMessage } from './messages';
import type { GenerationPatch, GenerationState } from './state';
import { type ActiveStatus, isActive } from './status';

/** Default for "no progress for this long means stuck" (seed: 15 minutes; configurable). */
export const DEFAULT_STUCK_TIMEOUT_MS = 15 * 60_000;

/**
 * Whether an active generation has made no progress for at least `timeoutMs`, measured from its last
 * status/progress change (or its start when nothing moved yet) to `dbNow`, the database's clock.
 * Boundary: exactly `timeoutMs` old is stuck (15:00 is stuck, 14:59.999 is not). Without either
 * timestamp there is nothing to measure, so it is not stuck.
 */
export function isStuck(
  state: Pick<GenerationState, 'status' | 'progressChangedAt' | 'startedAt'>,
  dbNow: Date,
  timeoutMs: number,
): boolean {
  if (!isActive(state.status)) return false;
  const since = state.progressChangedAt ?? state.startedAt;
  return since !== null && dbNow.getTime() - since.getTime() >= timeoutMs;
}

/** The write that fails a stuck generation (the sweeper guards it with `WHERE status IN (active)`). */
export function stuckFailurePatch(timeoutMs: number): GenerationPatch {
  return {
    status: 'failed',
    errorCode: FAILURE_CODES.stuckTimeout,
    errorMessage: stuckFailureMessage(timeoutMs),
    nextPollAt: null,
    leaseOwner: null,
    leaseUntil: null,
  };
}

/** The audit draft for one generation the sweeper failed. */
export function stuckFailureEvent(fromStatus: ActiveStatus, timeoutMs: number): AuditEventDraft {
  return statusChangedEvent(fromStatus, 'failed', failedMessage(stuckFailureMessage(timeoutMs)), {
    errorCode: FAILURE_CODES.stuckTimeout,
    timeoutMs,
  });
}

/** "No progress for 15 minutes, so the generation was stopped. You can retry it." */
export function stuckFailureMessage(timeoutMs: number): string {
  return `No progress for ${describeDuration(timeoutMs)}, so the generation was stopped. You can retry it.`;
}

/** Whole minutes when the timeout is a minute or more (rounded), seconds below (short test timeouts). */
function describeDuration(ms: number): string {
  if (ms < 60_000) return plural(Math.max(0, Math.round(ms / 1000)), 'second');
  return plural(Math.round(ms / 60_000), 'minute');
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
