import { afterEach, describe, expect, it } from 'vitest';
import { preparedDataDir, spawnServer, waitForUrl, type ServerProcess } from './server-process';

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
});
