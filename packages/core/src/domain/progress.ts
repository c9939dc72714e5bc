/**
 * Progress as stored: an integer percentage 0..100. Rounds down so 99.6 never reads as done.
 * Returns null when there is nothing usable (absent, NaN, infinite).
 */
export function clampProgress(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return Math.min(100, Math.max(0, Math.floor(value)));
}

/** The progress after an observation: never backwards within an attempt, unchanged when none was reported. */
export function advanceProgress(current: number, observed: number | null | undefined): number {
  return Math.max(clampProgress(current) ?? 0, clampProgress(observed) ?? 0);
}
