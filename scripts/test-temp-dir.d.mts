/**
 * Makes the run's directory and points TMPDIR at it for this process and the processes it starts, unless an outer run
 * (scripts/test.mjs around vitest) already did. `remove()` deletes it and restores TMPDIR.
 */
export function useRunTempDir(): { dir: string; remove: () => void };
