import { rmSync } from 'node:fs';
import { preparedDataDir, spawnServer, waitForUrl } from '../../apps/server/test/server-process';

export { preparedDataDir };

// A second server for specs that need other settings than the suite's (playwright.config.ts starts one for all):
// the real entry point in its own process (the same spawn the server's process tests use), on a free port, with its
// own data directory and the built-in simulator. Started by the spec that needs it, so the rest pays nothing for it.

export interface OwnServer {
  /** The URL the server says it listens on. */
  url: string;
  close(): Promise<void>;
}

/**
 * `dataDir`: a data directory the caller owns (kept on close), so a spec can stop the server, write to its database
 * and start it again; by default a prepared one (its database already migrated), removed on close.
 */
export async function startOwnServer(
  env: Record<string, string>,
  timeoutMs = 90_000,
  options: { dataDir?: string } = {},
): Promise<OwnServer> {
  const dataDir = options.dataDir ?? (await preparedDataDir());
  const server = spawnServer({ DATA_DIR: dataDir, OPENAI_API_KEY: '', DATABASE_URL: '', ...env });
  const close = async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
    await server.exited;
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    return { url: await waitForUrl(server, timeoutMs), close };
  } catch (error) {
    await close();
    throw error;
  }
}
