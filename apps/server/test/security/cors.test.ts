import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOREIGN_ORIGIN, startHttpApp, type HttpApp, type SignedIn } from '../support/http-app';

/*
 * CORS: the app is same-origin only. No response, preflight or not, may let another origin read it with the user's
 * credentials: no Access-Control-Allow-Origin naming that origin (or *), no Access-Control-Allow-Credentials.
 */

let h: HttpApp;
let ada: SignedIn;
let videoId: string;

beforeAll(async () => {
  h = await startHttpApp();
  ada = await h.signUp('ada');
  videoId = (await h.trpcData<{ id: string }>(ada, 'mutation', 'videos.create', { prompt: 'Same origin only' })).id;
});
afterAll(() => h?.close());

function expectNoCorsGrant(response: LightMyRequestResponse, what: string) {
  const allowOrigin = response.headers['access-control-allow-origin'];
  expect(allowOrigin === FOREIGN_ORIGIN || allowOrigin === '*', `${what}: Access-Control-Allow-Origin=${String(allowOrigin)}`).toBe(false);
  expect(response.headers['access-control-allow-credentials'], what).toBeUndefined();
}

const URLS = () => [
  '/trpc/videos.list',
  `/trpc/sora.status?input=${encodeURIComponent(JSON.stringify({ videoId }))}`,
  '/trpc/me.get',
  '/trpc/sora.onUpdate?input=%7B%7D',
  `/api/videos/${videoId}/content`,
  '/api/auth/get-session',
  '/api/auth/sign-in/email',
  '/healthz',
  '/readyz',
  '/metrics',
];

describe('CORS', () => {
  it('no preflight from an arbitrary origin is granted, for any route', async () => {
    for (const url of URLS()) {
      for (const method of ['GET', 'POST']) {
        const response = await h.inject({
          method: 'OPTIONS',
          url,
          headers: {
            origin: FOREIGN_ORIGIN,
            'access-control-request-method': method,
            'access-control-request-headers': 'content-type, authorization',
          },
        });
        expectNoCorsGrant(response, `OPTIONS ${url} (${method})`);
      }
    }
  });

  it('credentialed reads from an arbitrary origin get no CORS headers, so the browser hides the answer', async () => {
    for (const url of URLS().filter((url) => !url.includes('onUpdate'))) {
      const response = await h.inject({ method: 'GET', url, headers: { origin: FOREIGN_ORIGIN, cookie: ada.cookie } });
      expectNoCorsGrant(response, `GET ${url}`);
    }
    // The one streaming route, over a real socket: its headers arrive at once, the stream is then cut by the client.
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const response = await fetch(`${address}/trpc/sora.onUpdate?input=%7B%7D`, {
      headers: { origin: FOREIGN_ORIGIN, cookie: ada.cookie },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    controller.abort();
  });

  it('an Origin header is never reflected, even the null origin of a sandboxed page', async () => {
    for (const origin of ['null', 'http://localhost:3000.evil.example', FOREIGN_ORIGIN]) {
      const response = await h.inject({ method: 'GET', url: '/trpc/me.get', headers: { origin, cookie: ada.cookie } });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});
