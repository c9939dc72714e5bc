import { afterEach, describe, expect, it } from 'vitest';
import { preparedDataDir, spawnServer, waitForUrl, type ServerProcess } from './server-process';

const running: ServerProcess[] = [];
afterEach(() => {
  for (const server of running.splice(0)) server.child.kill('SIGKILL');
});

function start(env: Record<string, string> = {}): ServerProcess {
  const server = spawnServer(env);
  running.push(server);
  return server;
}

describe('the server process', () => {
  it('refuses to start on a bad variable, naming it, with exit code 1', async () => {
    const server = start({ PORT: 'eighty', ROLE: 'boss' });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('PORT="eighty": must be a whole number');
    expect(server.output()).toContain('ROLE="boss"');
  });

  it('serves /healthz and /readyz, reports the simulator, and exits 0 on SIGTERM', async () => {
    // An already migrated database: creating one (initdb and migrations in WebAssembly) took over 30 s in CI's Node 24
    // pass beside the quick benchmarks, and is not what this test is about.
    const server = start({ DATA_DIR: await preparedDataDir() });
    const url = await waitForUrl(server);
    expect(server.output()).toContain('using the built-in Sora simulator');

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    // Without METRICS_TOKEN: ready or not, nothing more.
    expect(await ready.json()).toEqual({ status: 'ready' });

    const trpc = await fetch(`${url}/trpc/system.health`);
    expect(trpc.status).toBe(200);
    expect(await trpc.json()).toMatchObject({ result: { data: { ok: true, provider: { simulated: true } } } });

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('Stopped cleanly');
  });

  it('fails fast with a clear message when DATABASE_URL points at nothing', async () => {
    const server = start({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(/127\.0\.0\.1:1/);
  });
});
