import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_TOKEN_PREFIX } from '@sora-monitor/core/server';
import { waitUntil } from '@sora-monitor/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_URL, startHttpApp, type HttpApp, type SignedIn } from '../support/http-app';

/*
 * What one user may hold or create, over HTTP through the real app: open live-update streams, new videos, new API
 * tokens (their rate and their number), and the token's prefix and name, which only tokens.create decides.
 * The caps are tiny here so a handful of requests reach them.
 */

const CAP = 3;
const rule = { max: CAP, windowSec: 60 };
let h: HttpApp;
let port: number;

beforeAll(async () => {
  h = await startHttpApp({
    services: {
      rateLimits: { videoCreate: rule, tokenCreate: { max: 0, windowSec: 60 } },
      userCaps: { subscriptionsPerUser: CAP, apiTokensPerUser: CAP },
    },
  });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  port = (h.app.server.address() as AddressInfo).port;
});
afterAll(() => h?.close());

interface OpenStream {
  response: IncomingMessage;
  body: () => string;
  request: ClientRequest;
}

/** Opens sora.onUpdate over a real socket and resolves once the status line arrives (the stream stays open). */
function openStream(user: SignedIn): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/trpc/sora.onUpdate?input=%7B%7D', headers: { cookie: user.cookie, accept: 'text/event-stream' } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('error', () => undefined);
        resolve({ response, body: () => text, request: req });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('open live-update streams per user', () => {
  it(`refuses stream ${CAP + 1} with TOO_MANY_REQUESTS and a clear message, leaves other users alone, and frees a slot when a stream closes`, async () => {
    const ada = await h.signUp('ada');
    const bob = await h.signUp('bob');
    const streams: OpenStream[] = [];
    try {
      for (let n = 0; n < CAP; n++) streams.push(await openStream(ada));
      await waitUntil(async () => h.services.userCaps.openSubscriptions(ada.id), (open) => open === CAP, { timeoutMs: 10_000 });
      // tRPC answers every SSE subscription 200 and sends a refusal as an event.
      const refused = await openStream(ada);
      streams.push(refused);
      const body = await waitUntil(async () => refused.body(), (text) => text.includes('serialized-error'), { timeoutMs: 10_000 });
      expect(body).toMatch(/^event: serialized-error$/m);
      expect(body).toContain('"code":"TOO_MANY_REQUESTS"');
      expect(body).toContain(`At most ${CAP} live updates per user can be open at once`);
      expect(h.services.userCaps.openSubscriptions(ada.id)).toBe(CAP);

      const bobs = await openStream(bob);
      streams.push(bobs);
      await waitUntil(async () => h.services.userCaps.openSubscriptions(bob.id), (open) => open === 1, { timeoutMs: 10_000 });

      // A client leaving gives its slot back, and a new stream opens.
      refused.request.destroy();
      streams.shift()!.request.destroy();
      await waitUntil(async () => h.services.userCaps.openSubscriptions(ada.id), (open) => open === CAP - 1, { timeoutMs: 10_000 });
      streams.push(await openStream(ada));
      await waitUntil(async () => h.services.userCaps.openSubscriptions(ada.id), (open) => open === CAP, { timeoutMs: 10_000 });
      expect(streams.at(-1)!.body()).not.toContain('serialized-error');
    } finally {
      for (const stream of streams) stream.request.destroy();
    }
    await waitUntil(async () => h.services.userCaps.openSubscriptions(ada.id), (open) => open === 0, { timeoutMs: 10_000 });
  });
});

describe('creates per user', () => {
  it(`videos.create: 429 after ${CAP} a minute, and nothing is written`, async () => {
    const ada = await h.signUp('ada');
    for (let n = 0; n < CAP; n++) expect((await h.trpc(ada, 'mutation', 'videos.create', { prompt: `Video ${n}` })).statusCode).toBe(200);
    const before = await h.snapshot();
    const limited = await h.trpc(ada, 'mutation', 'videos.create', { prompt: 'One too many' });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.body).toMatch(/Too many new video requests; try again in \d+ s\./);
    expect(await h.snapshot()).toEqual(before);
  });
});

describe('API tokens', () => {
  const tokenCount = async (user: SignedIn) => (await h.trpcData<unknown[]>(user, 'query', 'tokens.list')).length;

  it(`an account holds at most ${CAP}: the next create is FORBIDDEN with a clear message, and a burst cannot pass the cap`, async () => {
    const ada = await h.signUp('ada');
    for (let n = 0; n < CAP; n++) expect((await h.trpc(ada, 'mutation', 'tokens.create', { name: `t${n}` })).statusCode).toBe(200);
    const refused = await h.trpc(ada, 'mutation', 'tokens.create', { name: 'one too many' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain(`You already have ${CAP} API tokens, the most one account may hold`);
    expect(await tokenCount(ada)).toBe(CAP);

    const bob = await h.signUp('bob');
    const burst = await Promise.all(Array.from({ length: 8 }, (_, n) => h.trpc(bob, 'mutation', 'tokens.create', { name: `b${n}` })));
    expect(burst.map((response) => response.statusCode).every((code) => code === 200 || code === 403)).toBe(true);
    expect(await tokenCount(bob)).toBeLessThanOrEqual(CAP);
  });

  it('tokens.create: 429 past its rate limit', async () => {
    const limited = await startHttpApp({ services: { rateLimits: { tokenCreate: { max: 2, windowSec: 3600 } } } });
    try {
      const ada = await limited.signUp('ada');
      for (let n = 0; n < 2; n++) expect((await limited.trpc(ada, 'mutation', 'tokens.create', { name: `t${n}` })).statusCode).toBe(200);
      const refused = await limited.trpc(ada, 'mutation', 'tokens.create', { name: 'again' });
      expect(refused.statusCode).toBe(429);
      expect(refused.body).toMatch(/Too many new token requests; try again in \d+ s\./);
    } finally {
      await limited.close();
    }
  });

  it('names: 64 characters at most, refused at the boundary naming the field', async () => {
    const ada = await h.signUp('ada');
    expect((await h.trpc(ada, 'mutation', 'tokens.create', { name: 'n'.repeat(64) })).statusCode).toBe(200);
    const tooLong = await h.trpc(ada, 'mutation', 'tokens.create', { name: 'n'.repeat(65) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toMatchObject({
      error: { data: { code: 'BAD_REQUEST', zodError: { fieldErrors: { name: ['name must be at most 64 characters'] } } } },
    });
  });

  it(`every token starts with ${API_TOKEN_PREFIX}: the plugin's own endpoints, where a caller could pick a prefix, are closed`, async () => {
    const ada = await h.signUp('ada');
    const created = await h.trpcData<{ token: string }>(ada, 'mutation', 'tokens.create', { name: 'cli' });
    expect(created.token.startsWith(API_TOKEN_PREFIX)).toBe(true);
    const withPrefix = await h.trpc(ada, 'mutation', 'tokens.create', { name: 'evil', prefix: 'evil_' });
    expect(withPrefix.statusCode).toBe(400);

    for (const url of ['/api/auth/api-key/create', '/api/auth/./api-key/create', '/api/auth/api-key/create/', '/api/auth/api-key/update', '/api/auth/api-key/list']) {
      const response = await h.inject({
        method: 'POST',
        url,
        headers: { cookie: ada.cookie, origin: PUBLIC_URL, 'content-type': 'application/json' },
        payload: JSON.stringify({ name: 'evil', prefix: 'evil_' }),
      });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 404 });
    }
    expect((await h.inject({ method: 'GET', url: '/api/auth/api-key/list', headers: { cookie: ada.cookie } })).statusCode).toBe(404);
    expect(await tokenCount(ada)).toBe(1);
  });
});
