import { listProcedures, takesVideoId } from '@sora-monitor/core/testing/procedures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOREIGN_ORIGIN, PUBLIC_URL, startHttpApp, type HttpApp, type SignedIn } from '../support/http-app';

/*
 * Cross-site request forgery, with a valid session cookie attached as a browser would: every mutation of the router
 * (read from the router, so new ones are covered) sent cross-origin in the three "simple" forms a page can send
 * without a CORS preflight, and as a GET. None may change anything, here or upstream.
 */

let h: HttpApp;
let ada: SignedIn;
let fresh: string;
let failed: string;
let tokenId: string;

const MUTATIONS = listProcedures().filter((procedure) => procedure.type === 'mutation');
const QUERIES = listProcedures().filter((procedure) => procedure.type === 'query');

/** A valid input for each mutation: a forged request that would succeed if it got through. */
function validInput(path: string, videoAware: boolean): Record<string, unknown> {
  if (path === 'videos.create') return { prompt: 'Forged' };
  if (path === 'tokens.create') return { name: 'forged' };
  if (path === 'tokens.revoke') return { id: tokenId };
  if (path === 'sora.generate') return { videoId: fresh };
  if (path === 'videos.bulk') return { action: 'delete', videoIds: [failed, fresh] };
  return videoAware ? { videoId: failed } : {};
}

/** Everything a forged request could change: video rows, tokens, sessions, upstream calls. */
async function state() {
  return {
    videos: await h.snapshot(),
    tokens: await h.trpcData<unknown[]>(ada, 'query', 'tokens.list'),
    me: await h.trpcData<unknown>(ada, 'query', 'me.get'),
    upstream: h.sim.requests().length,
  };
}

beforeAll(async () => {
  h = await startHttpApp();
  ada = await h.signUp('ada');
  fresh = (await h.trpcData<{ id: string }>(ada, 'mutation', 'videos.create', { prompt: 'Not started yet' })).id;
  failed = (await h.trpcData<{ id: string }>(ada, 'mutation', 'videos.create', { prompt: 'Fails [sim:fail=moderation_blocked]' })).id;
  await h.trpcData(ada, 'mutation', 'sora.generate', { videoId: failed });
  tokenId = (await h.trpcData<{ id: string }>(ada, 'mutation', 'tokens.create', { name: 'kept' })).id;
});
afterAll(() => h?.close());

const FORGED_BODIES = [
  ['multipart/form-data', 'multipart/form-data; boundary=x', (input: object) => `--x\r\nContent-Disposition: form-data; name="0"\r\n\r\n${JSON.stringify(input)}\r\n--x--\r\n`],
  ['text/plain', 'text/plain', (input: object) => JSON.stringify(input)],
  ['an empty body', undefined, () => ''],
] as const;

describe('cross-origin POSTs to every mutation, with the session cookie', () => {
  it.each(MUTATIONS.map((procedure) => [procedure.path, procedure] as const))('%s changes nothing', async (path, procedure) => {
    const input = validInput(path, takesVideoId(procedure));
    const before = await state();
    for (const [name, contentType, body] of FORGED_BODIES) {
      for (const site of [{ origin: FOREIGN_ORIGIN }, { 'sec-fetch-site': 'cross-site' }]) {
        const response = await h.inject({
          method: 'POST',
          url: `/trpc/${path}`,
          headers: { cookie: ada.cookie, ...site, ...(contentType ? { 'content-type': contentType } : {}) },
          payload: body(input),
        });
        expect(response.statusCode, `${name} ${JSON.stringify(site)}`).toBe(403);
      }
    }
    expect(await state()).toEqual(before);
  });

  it('the same request from the app itself does go through (the refusals above are about the origin)', async () => {
    const response = await h.inject({
      method: 'POST',
      url: '/trpc/videos.create',
      headers: { cookie: ada.cookie, origin: PUBLIC_URL, 'content-type': 'application/json' },
      payload: JSON.stringify({ prompt: 'Legitimate' }),
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('GETs to every mutation', () => {
  it.each(MUTATIONS.map((procedure) => [procedure.path, procedure] as const))('%s is refused and changes nothing', async (path, procedure) => {
    const input = validInput(path, takesVideoId(procedure));
    const before = await state();
    for (const origin of [{}, { origin: FOREIGN_ORIGIN }]) {
      const response = await h.inject({
        method: 'GET',
        url: `/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`,
        headers: { cookie: ada.cookie, ...origin },
      });
      expect(response.statusCode).toBe(405);
    }
    expect(await state()).toEqual(before);
  });
});

describe("better-auth's own state-changing endpoints", () => {
  it.each([
    ['/api/auth/sign-out', {}],
    ['/api/auth/api-key/create', { name: 'forged' }],
    ['/api/auth/update-user', { name: 'Forged Name' }],
  ])('a cross-origin POST to %s changes nothing', async (url, body) => {
    const before = await state();
    for (const [, contentType, payload] of FORGED_BODIES) {
      await h.inject({
        method: 'POST',
        url,
        headers: { cookie: ada.cookie, origin: FOREIGN_ORIGIN, ...(contentType ? { 'content-type': contentType } : {}) },
        payload: payload(body),
      });
    }
    expect(await state()).toEqual(before);
  });
});

describe('queries', () => {
  it('ask upstream nothing beyond the documented refresh (GET /v1/videos/{id}), even cross-origin', async () => {
    const active = (await h.trpcData<{ id: string }>(ada, 'mutation', 'videos.create', { prompt: 'Running [sim:duration=60000]' })).id;
    await h.trpcData(ada, 'mutation', 'sora.generate', { videoId: active });
    const videosBefore = ((await h.snapshot()) as { videos: unknown[]; generations: unknown[] });
    const requestsBefore = h.sim.requests().length;
    for (const query of QUERIES) {
      for (const videoId of [active, failed, fresh]) {
        const input = takesVideoId(query) ? { videoId } : undefined;
        const url = `/trpc/${query.path}${input ? `?input=${encodeURIComponent(JSON.stringify(input))}` : ''}`;
        const response = await h.inject({ method: 'GET', url, headers: { cookie: ada.cookie, origin: FOREIGN_ORIGIN } });
        expect(response.statusCode, query.path).toBeLessThan(500);
      }
    }
    const upstream = h.sim.requests().slice(requestsBefore);
    expect(upstream.length).toBeGreaterThan(0); // sora.status did refresh the active generation
    for (const request of upstream) expect(`${request.method} ${request.path}`).toMatch(/^GET \/v1\/videos\/[^/]+$/);
    const videosAfter = (await h.snapshot()) as { videos: unknown[]; generations: unknown[] };
    expect(videosAfter.videos).toHaveLength(videosBefore.videos.length);
    expect(videosAfter.generations).toHaveLength(videosBefore.generations.length);
  });
});
