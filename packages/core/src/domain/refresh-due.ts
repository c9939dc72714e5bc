import type { GenerationColumns } from './state';
import { isActive } from './status';

/** What the refresh decision reads of a stored generation. */
export type RefreshDueState = Pick<GenerationColumns, 'status' | 'lastPolledAt' | 'leaseUntil'>;

/**
 * Whether asking upstream could be worthwhile now, by the database clock `dbNowMs`: the generation is active, no one
 * holds a live lease on it (someone else is already asking, or downloading), and its stored state is at least
 * `freshForMs` old. The same rule as the claim's `WHERE` (claimVideoForRefresh), checked first on the row the request
 * already loaded, so a fresh or leased video is answered without a claim `UPDATE` and a second read. The claim
 * still decides races between processes.
 */
export function isRefreshDue(state: RefreshDueState, dbNowMs: number, freshForMs: number): boolean {
  if (!isActive(state.status)) return false;
  if (state.leaseUntil && state.leaseUntil.getTime() >= dbNowMs) return false;
  return !state.lastPolledAt || state.lastPolledAt.getTime() <= dbNowMs - freshForMs;
}

/**
 * How long until `isRefreshDue` could turn true for an active generation, by the database clock: when its lease ends,
 * or when its stored state stops being fresh. 0 when it is due now.
 */
export function msUntilRefreshDue(state: RefreshDueState, dbNowMs: number, freshForMs: number): number {
  const leaseLeftMs = state.leaseUntil ? state.leaseUntil.getTime() - dbNowMs + 1 : 0;
  const freshLeftMs = state.lastPolledAt ? state.lastPolledAt.getTime() + freshForMs - dbNowMs : 0;
  return Math.max(0, leaseLeftMs, freshLeftMs);
}
