import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { preparedDataDir, spawnServer, waitForUrl, type ServerProcess } from './server-process';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// pino-pretty colours its lines on a terminal.
const withoutColours = (text: string) => stripVTControlCharacters(text);

const running: ServerProcess[] = [];
afterEach(() => {
  for (const server of running.splice(0)) server.child.kill('SIGKILL');
});

describe('operating the server', () => {
  it('answers `curl /` with the page (or a helpful text), and logs requests only at debug', async () => {
    const server = spawnServer({ LOG_LEVEL: 'info', DATA_DIR: await preparedDataDir() });
    running.push(server);
    const url = await waitForUrl(server, 100_000);

    // What curl sends: Accept */*. Not a JSON 404.
    const root = await fetch(`${url}/`, { headers: { accept: '*/*' } });
    expect(root.status).not.toBe(404);
    expect(root.headers.get('content-type')).toMatch(/^text\/(html|plain)/);
    // API paths keep their JSON 404.
    const api = await fetch(`${url}/api/nothing`, { headers: { accept: '*/*' } });
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: 'not_found' });

    for (let i = 0; i < 3; i++) await fetch(`${url}/healthz`);
    expect(server.output()).not.toContain('incoming request');
    expect(server.output()).not.toContain('request completed');

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 120_000);

  it('logs each request once at LOG_LEVEL=debug', async () => {
    const server = spawnServer({ LOG_LEVEL: 'debug', DATA_DIR: await preparedDataDir() });
    running.push(server);
    const url = await waitForUrl(server, 100_000);
    await fetch(`${url}/healthz`);
    await expect.poll(() => server.output().match(/request completed.*|.*request completed/g)?.length ?? 0).toBeGreaterThan(0);
    expect(server.output()).not.toContain('incoming request');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 120_000);

  it('prints readable log lines on a terminal, in production too, and JSON to a pipe', async () => {
    const onTerminal = spawnServer({ NODE_ENV: 'production', DATA_DIR: await preparedDataDir() }, { terminal: true });
    running.push(onTerminal);
    await expect.poll(() => withoutColours(onTerminal.output()), { timeout: 100_000 }).toMatch(/INFO.*Sora Monitor is listening on http:\/\//);
    expect(onTerminal.output()).not.toContain('{"level"');
    onTerminal.child.kill('SIGKILL');

    const onPipe = spawnServer({ NODE_ENV: 'production', DATA_DIR: await preparedDataDir() });
    running.push(onPipe);
    await waitForUrl(onPipe, 100_000);
    expect(onPipe.output()).toMatch(/^\{"level":30,/m);
    onPipe.child.kill('SIGTERM');
    expect(await onPipe.exited).toBe(0);
  }, 240_000);

  it('`pnpm start` ends with exit 0 and no "Command failed" from pnpm when its process group gets SIGTERM', async () => {
    // The web build step is a stand-in here: rebuilding apps/web/dist would pull files from under the other tests
    // that serve it. Everything after it is the real start script, run by pnpm.
    const stubs = mkdtempSync(path.join(tmpdir(), 'sora-start-stub-'));
    writeFileSync(path.join(stubs, 'pnpm'), '#!/bin/sh\necho "web build: using the existing build"\n');
    chmodSync(path.join(stubs, 'pnpm'), 0o755);
    // The real pnpm, found before the stand-in goes first on PATH (the script's own `pnpm` is then the stand-in).
    const pnpm = execFileSync('sh', ['-c', 'command -v pnpm'], { encoding: 'utf8' }).trim();
    const child = spawn(pnpm, ['start'], {
      cwd: repoRoot,
      detached: true,
      env: {
        PATH: `${stubs}:${process.env.PATH ?? ''}`,
        HOME: process.env.HOME ?? '',
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: await preparedDataDir(),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => output, { timeout: 100_000 }).toMatch(/Sora Monitor is listening on http:\/\//);
      expect(output).toContain('web build: using the existing build');
      process.kill(-child.pid!, 'SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('Stopped cleanly');
      expect(output).not.toContain('ELIFECYCLE');
      expect(output).not.toMatch(/Command failed/i);
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
  }, 240_000);
});
