import { backoffDelayMs, nextPollDelayMs, type GenerationStatus, type RefreshOutcome } from '../domain';
import type { GenerationSettings } from './deps';

/**
 * When the poller should look at a generation again: adaptive while it is tracking, backing off (honouring
 * retry-after) while upstream is unavailable, never when it is finished.
 */
export function nextPollAt(
  now: Date,
  state: { status: GenerationStatus; progress: number },
  outcome: RefreshOutcome | null,
  settings: Pick<GenerationSettings, 'pollIntervalMs'>,
  random: () => number = Math.random,
): Date | null {
  const minMs = Math.max(1_000, Math.round(settings.pollIntervalMs / 6));
  const maxMs = settings.pollIntervalMs * 2;
  if (outcome && (outcome.kind === 'temporarily_unavailable' || outcome.kind === 'download_retry')) {
    const backoff = backoffDelayMs(outcome.pollFailures, { baseMs: minMs, capMs: settings.pollIntervalMs * 10, random });
    const retryAfter = outcome.kind === 'temporarily_unavailable' ? (outcome.retryAfterMs ?? 0) : 0;
    return new Date(now.getTime() + Math.max(minMs, backoff, retryAfter));
  }
  const delay = nextPollDelayMs({ ...state, minMs, maxMs, defaultMs: settings.pollIntervalMs });
  return delay === null ? null : new Date(now.getTime() + delay);
}
