import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Node 20 cannot run TypeScript itself: load tsx's ESM hooks into a plain node process (not the tsx CLI, which
// would put a second process between us and the one holding the lock).
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface Child {
  process: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runTs(script: string, args: string[]): Child {
  const child = spawn(process.execPath, ['--import', tsxLoader, fileURLToPath(new URL(script, import.meta.url)), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result: Child = {
    process: child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout.on('data', (chunk: Buffer) => (result.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()));
  return result;
}

/** Resolves when the child has printed `text`; rejects with its stderr if it exits first. */
export function waitForOutput(child: Child, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!child.stdout.includes(text)) return;
      child.process.stdout?.off('data', check);
      resolve();
    };
    child.process.stdout?.on('data', check);
    check();
    void child.exited.then(({ code, signal }) =>
      reject(new Error(`child exited (code ${code}, signal ${signal}) before printing "${text}":\n${child.stderr}`)),
    );
  });
}
