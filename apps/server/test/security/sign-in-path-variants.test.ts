import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, PUBLIC_URL, startHttpApp, type HttpApp } from '../support/http-app';

/*
 * The per-account sign-in limit must count every spelling of the sign-in path that better-auth would run. better-auth
 * normalises the URL (WHATWG parsing resolves `./`, `../`, `%2e`), so comparing the raw request line let
 * `/api/auth/./sign-in/email` keep guessing. Sent over a real socket, byte for byte, so nothing on the way rewrites the
 * path before the server sees it.
 */

const LIMIT = 3;
let h: HttpApp;
let port: number;

beforeAll(async () => {
  h = await startHttpApp({
    services: {
      rateLimits: { signInPerEmail: { max: LIMIT, windowSec: 60 } },
      signInRateLimit: { windowSec: 60, max: 10_000 },
    },
  });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  port = (h.app.server.address() as AddressInfo).port;
});
afterAll(() => h?.close());

/** A raw POST: the path goes on the request line exactly as written. */
function rawSignIn(path: string, email: string, password: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ email, password });
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', origin: PUBLIC_URL, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const VARIANTS = [
  '/api/auth/sign-in/email',
  '/api/auth/./sign-in/email',
  '/api/auth/sign-in/./email',
  '/api/auth/x/../sign-in/email',
  '/api/auth/%2e/sign-in/email',
  '/api/auth/%2E/sign-in/%2e/email',
  '/api/auth//sign-in/email',
  '/api/auth/sign-in//email',
  '/api/auth/sign-in%2Femail',
  '/api/auth/sign-in%2femail',
  '/api/auth/sign-in/email/',
  '/api/auth/sign-in/email//',
  '/api/auth/Sign-In/Email',
  '/api/auth/SIGN-IN/EMAIL/',
  '/api/auth/sign-in/email?x=1',
  '/api/auth/./sign-in/email/?x=1',
  '/api/auth/sign-in/email#fragment',
];

describe('the per-account sign-in limit, whatever the spelling of the path', () => {
  it('once used up, no spelling of the path reaches better-auth: each is 429 or a 404 that never ran the sign-in', async () => {
    const ada = await h.signUp('ada');
    for (let n = 0; n < LIMIT; n++) expect((await rawSignIn('/api/auth/sign-in/email', ada.email, 'wrong password')).status).toBe(401);

    for (const path of VARIANTS) {
      const { status, body } = await rawSignIn(path, ada.email, PASSWORD);
      // 200 or 401 would mean better-auth checked the password; 429 is the limit, 404 a path better-auth does not run.
      expect({ path, status }).toSatisfy(({ status }: { status: number }) => status === 429 || status === 404);
      if (status === 404) expect(body).not.toMatch(/token|user/);
    }
  });

  it('every spelling better-auth runs counts towards the same limit', async () => {
    const bob = await h.signUp('bob');
    // The normalising spellings each reach better-auth (401: the password was checked), and each one counts.
    const reaching = ['/api/auth/./sign-in/email', '/api/auth/%2e/sign-in/email', '/api/auth/x/../sign-in/email'];
    for (const path of reaching) expect((await rawSignIn(path, bob.email, 'wrong password')).status).toBe(401);
    expect((await rawSignIn('/api/auth/sign-in/email', bob.email, PASSWORD)).status).toBe(429);
  });
});
