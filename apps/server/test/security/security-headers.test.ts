import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpApp, type HttpApp } from '../support/http-app';

/*
 * The headers every response carries (helmet), checked on the SPA, the API and a 404, and the source maps
 * that production does not serve. A small stand-in build (index.html, a script, its map) so the test needs no web
 * build; spa-build-secrets.test.ts checks the real build has no inline script the policy would have to allow.
 */

const EXPECTED_CSP =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;media-src 'self';font-src 'self';" +
  "connect-src 'self';object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'";

let distDir: string;
let production: HttpApp;
let development: HttpApp;
let overHttps: HttpApp;

beforeAll(async () => {
  distDir = await mkdtemp(path.join(tmpdir(), 'sora-monitor-dist-'));
  await mkdir(path.join(distDir, 'assets'));
  await writeFile(path.join(distDir, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
  await writeFile(path.join(distDir, 'assets', 'app.js'), 'console.log("app")');
  await writeFile(path.join(distDir, 'assets', 'app.js.map'), '{"version":3,"sources":["src/secret-source.tsx"]}');
  production = await startHttpApp({ app: { webDistDir: distDir } });
  development = await startHttpApp({ app: { webDistDir: distDir, serveSourceMaps: true } });
  overHttps = await startHttpApp({ app: { webDistDir: distDir, trustedOrigins: ['https://monitor.example'] } });
});
afterAll(async () => {
  await production?.close();
  await development?.close();
  await overHttps?.close();
  await rm(distDir, { recursive: true, force: true });
});

describe('security headers', () => {
  it.each([
    ['the SPA', '/', { accept: 'text/html' }],
    ['a client-side route', '/videos/anything', { accept: 'text/html' }],
    ['a script', '/assets/app.js', {}],
    ['the API', '/trpc/system.health', {}],
    ['a 404', '/api/nothing', {}],
  ])('on %s: a strict CSP, no framing, nosniff, no referrer', async (_label, url, headers) => {
    const response = await production.inject({ method: 'GET', url, headers });
    expect(response.headers['content-security-policy']).toBe(EXPECTED_CSP);
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    // Plain http (the test's public URL): no HSTS and no upgrade of subresources to an https that is not there.
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('over https: HSTS for half a year and subresources upgraded, on every response', async () => {
    for (const url of ['/', '/trpc/system.health', '/api/nothing']) {
      const response = await overHttps.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(response.headers['strict-transport-security']).toBe('max-age=15552000');
      expect(response.headers['content-security-policy']).toBe(`${EXPECTED_CSP};upgrade-insecure-requests`);
    }
  });
});

describe('source maps', () => {
  it('are not served in production, while the script is', async () => {
    expect((await production.inject({ method: 'GET', url: '/assets/app.js' })).statusCode).toBe(200);
    const map = await production.inject({ method: 'GET', url: '/assets/app.js.map' });
    expect(map.statusCode).toBe(404);
    expect(map.body).not.toContain('secret-source');
  });

  it('are served in development', async () => {
    const map = await development.inject({ method: 'GET', url: '/assets/app.js.map' });
    expect(map.statusCode).toBe(200);
    expect(map.body).toContain('secret-source');
  });
});
