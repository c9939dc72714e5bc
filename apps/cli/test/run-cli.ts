import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '../src/program';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/sora-monitor.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  /** Written to stdin, then closed (stdin is empty otherwise). */
  input?: string;
  cwd?: string;
  timeoutMs?: number;
}

/** A fresh, empty home: its own config dir, so runs never see the developer's real config. */
export function freshHome(): Record<string, string> {
  const home = mkdtempSync(path.join(tmpdir(), 'sora-cli-home-'));
  return { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') };
}

/**
 * Runs a command line through the CLI's own `run()` in this process: the real program, commands, client and server
 * over HTTP, with only the process edge (src/main.ts: the real streams, Ctrl-C, the exit) left out, and nothing of the
 * test process's environment but PATH. A spawned CLI cost about 0.45 s of CPU a run here, and these tests make some
 * seventy. A run with `cwd` (`download` without `-o` saves into the working directory) gets a process of its own, as do
 * the tests of the bin itself (runCliProcess).
 */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  if (options.cwd !== undefined) return runCliProcess(args, options);
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const code = await run(args, {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdin: Readable.from(options.input ? [options.input] : []),
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
  });
  return { code, stdout, stderr };
}

/** Runs the real `sora-monitor` bin as its own process, as a user's shell would. */
export function runCliProcess(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(options.input ?? '');
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sora-monitor ${args.join(' ')} did not exit in time:\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Parses --json output, failing with the whole output when it is not one JSON document. */
export function parseJson<T = Record<string, unknown>>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n--- stderr ---\n${run.stderr}`);
  }
}
