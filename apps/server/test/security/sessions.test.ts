import { SSE_PING_INTERVAL_MS } from '@sora-monitor/core';
import { listProcedures, takesVideoId } from '@sora-monitor/core/testing/procedures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_URL, sessionCookie, startHttpApp, PASSWORD, type HttpApp, type SignedIn } from '../support/http-app';

/* Sessions over real HTTP: cookie flags, rotation at sign-in, and what a sign-out does to everything the cookie held. */

const PUBLIC_PROCEDURES = new Set(['system.health', 'me.get']);

let h: HttpApp;

beforeAll(async () => {
  h = await startHttpApp();
});
afterAll(() => h?.close());

const signIn = (user: SignedIn, cookie?: string) =>
  h.inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    headers: { 'content-type': 'application/json', origin: PUBLIC_URL, ...(cookie ? { cookie } : {}) },
    payload: JSON.stringify({ email: user.email, password: PASSWORD }),
  });

const signOut = (cookie: string) =>
  h.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie, origin: PUBLIC_URL, 'content-type': 'application/json' }, payload: '{}' });

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax and scoped to the whole site', async () => {
    const user = await h.signUp('flags');
    const response = await signIn(user);
    const line = [response.headers['set-cookie']].flat().find((value) => String(value).includes('session_token='));
    expect(line).toMatch(/; HttpOnly/i);
    expect(line).toMatch(/; SameSite=Lax/i);
    expect(line).toMatch(/; Path=\//i);
    // http://localhost: Secure would stop the browser from sending it; https deployments get Secure (cookies.test.ts).
    expect(line).not.toMatch(/; Secure/i);
  });

  it('is rotated at sign-in: a new token, and the one sent along stops working', async () => {
    const user = await h.signUp('rotation');
    const rotated = sessionCookie(await signIn(user, user.cookie));
    expect(rotated).not.toBe(user.cookie);
    expect((await h.trpcData<{ id: string } | null>({ ...user, cookie: rotated }, 'query', 'me.get'))?.id).toBe(user.id);
    expect(await h.trpcData(user, 'query', 'me.get')).toBeNull();
  });
});

describe('after sign-out', () => {
  it('the old cookie gets UNAUTHORIZED from every procedure and 401 from the content route', async () => {
    const user = await h.signUp('signed-out');
    const video = await h.trpcData<{ id: string }>(user, 'mutation', 'videos.create', { prompt: 'Left behind' });
    expect((await signOut(user.cookie)).statusCode).toBe(200);

    for (const procedure of listProcedures()) {
      if (PUBLIC_PROCEDURES.has(procedure.path)) continue;
      const input = takesVideoId(procedure) ? { videoId: video.id } : procedure.path === 'videos.create' ? { prompt: 'x' } : undefined;
      const kind = procedure.type === 'mutation' ? 'mutation' : 'query';
      const response = await h.trpc(user, kind, procedure.path, input);
      expect(response.body, procedure.path).toContain('UNAUTHORIZED');
      if (procedure.type !== 'subscription') expect(response.statusCode, procedure.path).toBe(401);
    }
    expect(await h.trpcData(user, 'query', 'me.get')).toBeNull();
    const content = await h.inject({ method: 'GET', url: `/api/videos/${video.id}/content`, headers: { cookie: user.cookie } });
    expect(content.statusCode).toBe(401);
  });

  // The two stream tests wait out a ping interval each: run them side by side.
  it.concurrent(
    'an open subscription is closed within one ping interval',
    async () => {
      const user = await h.signUp('watcher');
      const stream = h.inject({ method: 'GET', url: '/trpc/sora.onUpdate?input=%7B%7D', headers: { cookie: user.cookie } });
      // Let the stream settle into waiting for changes, then sign out elsewhere.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const signedOutAt = Date.now();
      expect((await signOut(user.cookie)).statusCode).toBe(200);

      const response = await stream;
      const closedAfterMs = Date.now() - signedOutAt;
      expect(closedAfterMs).toBeLessThanOrEqual(SSE_PING_INTERVAL_MS + 1_000);
      expect(response.body).toMatch(/event: serialized-error\ndata: .*"code":"UNAUTHORIZED"/);
    },
    SSE_PING_INTERVAL_MS * 3,
  );

  it.concurrent(
    'a subscription opened with an API token ends within one ping interval of the token being revoked',
    async () => {
      const user = await h.signUp('token-holder');
      const { id, token } = await h.trpcData<{ id: string; token: string }>(user, 'mutation', 'tokens.create', { name: 'cli' });
      const stream = h.inject({ method: 'GET', url: '/trpc/sora.onUpdate?input=%7B%7D', headers: { authorization: `Bearer ${token}` } });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const revokedAt = Date.now();
      await h.trpcData(user, 'mutation', 'tokens.revoke', { id });

      const response = await stream;
      expect(Date.now() - revokedAt).toBeLessThanOrEqual(SSE_PING_INTERVAL_MS + 1_000);
      expect(response.body).toMatch(/event: serialized-error\ndata: .*"code":"UNAUTHORIZED"/);
    },
    SSE_PING_INTERVAL_MS * 3,
  );
});
