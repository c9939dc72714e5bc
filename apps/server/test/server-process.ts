import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { extractMigratedPgliteTemplate } from '@sora-monitor/db/pglite-template';
import { serverBundleFromEnv } from '../../../scripts/server-bundle.mjs';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// tsx's hooks loaded into a plain node process, not the tsx CLI: the CLI runs the server in a second process, so
// SIGKILL or SIGSTOP sent to the child we hold would miss the server itself.
const tsxLoader = pathToFileURL(createRequire(path.join(serverDir, 'package.json')).resolve('tsx')).href;

export interface ServerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** The exit code, or the signal that ended the process. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs the real entry point (src/main.ts) in its own process, as `pnpm start` would: from the bundle made for the run
 * when SORA_SERVER_BUNDLE names one (scripts/server-bundle.mjs; a third of the start-up CPU), else from source
 * through tsx. `nodeArgs` go before the entry point (e.g. another `--import` preload).
 */
export function spawnServer(
  env: Record<string, string>,
  options: { nodeArgs?: string[]; /** Runs it on a pseudo-terminal (util-linux `script`), as in a shell. */ terminal?: boolean } = {},
): ServerProcess {
  const bundle = serverBundleFromEnv();
  const [loader, entry] = bundle ? [[], bundle] : [['--import', tsxLoader], 'src/main.ts'];
  const args = [...loader, ...(options.nodeArgs ?? []), entry];
  const command = [process.execPath, ...args].map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' ');
  const [file, fileArgs] = options.terminal ? ['script', ['-qefc', `exec ${command}`, '/dev/null']] : [process.execPath, args];
  const child = spawn(file, fileArgs, {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      ...env,
      DATA_DIR: env.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'sora-server-test-')),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited: ended.then(({ code }) => code), ended };
}

/**
 * A DATA_DIR whose embedded database already exists and is migrated (the test template, extracted): a server
 * spawned on it skips initdb, seconds of CPU each. For tests that are not about a first start; those keep the
 * empty DATA_DIR spawnServer makes.
 */
export async function preparedDataDir(): Promise<string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sora-server-test-'));
  await extractMigratedPgliteTemplate(path.join(dataDir, 'pglite'));
  return dataDir;
}

/** Waits for the "listening on" log line and returns the URL it names. */
export async function waitForUrl(server: ServerProcess, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /Sora Monitor is listening on (http:\/\/[^"\s]+)/.exec(server.output());
    if (match?.[1]) return match[1];
    if (server.child.exitCode !== null || server.child.signalCode !== null)
      throw new Error(`server exited early:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server did not start in ${timeoutMs} ms:\n${server.output()}`);
}

/** The server's JSON log lines (pino), parsed; lines that are not JSON are skipped. */
export function logLines(server: ServerProcess): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  for (const line of server.output().split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a line cut by a kill: not a record
    }
  }
  return lines;
}
