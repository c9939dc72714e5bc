/** Writes the server's bundle (apps/server/src/main.ts and the workspace code it imports) to `outfile`. */
export function bundleServer(outfile: string): Promise<void>;
/**
 * Bundles the server into a new temporary directory unless SORA_SERVER_BUNDLE already says what to run (a bundle, or
 * `off`); sets it for this process and the processes it starts. `remove()` deletes what was made here, if anything.
 */
export function bundleServerForRun(): Promise<{ dir: string | null; remove: () => void }>;
/** The bundle SORA_SERVER_BUNDLE names, or null: run the sources (unset, `off`, or not an absolute path). */
export function serverBundleFromEnv(): string | null;
