import { waitUntil } from '@sora-monitor/core/testing';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, PUBLIC_URL, startHttpApp, type HttpApp, type SignedIn } from '../support/http-app';

/*
 * Abuse and spend over HTTP, through the real app: per-user limits answer 429 with `retry-after` (tRPC procedures,
 * the content route, sign-in per account), and the daily spend cap holds under a concurrent burst of starts.
 * Limits are tiny here so a handful of requests use one up.
 */

const LIMIT = 3;
const CAP_USD = 1.2; // three 4-second sora-2 videos at $0.40
const rule = { max: LIMIT, windowSec: 60 };

let h: HttpApp;

beforeAll(async () => {
  h = await startHttpApp({
    services: {
      rateLimits: { generate: rule, status: rule, content: rule, signInPerEmail: rule },
      settings: { statusFreshnessMs: 0, dailySpendCapUsd: CAP_USD },
      // better-auth's own per-IP limit stays out of the way: every request here comes from one address.
      signInRateLimit: { windowSec: 60, max: 10_000 },
    },
  });
});
afterAll(() => h?.close());

const creates = () =>
  h.sim.requests().filter((entry) => entry.method === 'POST' && entry.path === '/v1/videos');

function newVideo(user: SignedIn, prompt: string) {
  return h.trpcData<{ id: string }>(user, 'mutation', 'videos.create', {
    prompt,
    model: 'sora-2',
    size: '720x1280',
    seconds: 4,
  });
}

/** A 429 with a whole-seconds retry-after within the window, and the wait in the body too. */
function expectTooManyRequests(response: LightMyRequestResponse, message: RegExp) {
  expect(response.statusCode).toBe(429);
  const seconds = Number(response.headers['retry-after']);
  expect(Number.isInteger(seconds)).toBe(true);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60);
  expect(response.body).toMatch(message);
  return seconds;
}

function trpcErrorBody(response: LightMyRequestResponse) {
  return (
    response.json() as {
      error: { message: string; data: { code: string; appError: { retryAfterMs: number | null } | null } };
    }
  ).error;
}

describe('per-user rate limits over HTTP', () => {
  it('sora.status: 429 with retry-after and TOO_MANY_REQUESTS after the limit; another user is unaffected', async () => {
    const ada = await h.signUp('ada');
    const bob = await h.signUp('bob');
    const adas = await newVideo(ada, 'A status poller');
    const bobs = await newVideo(bob, 'Another status poller');
    for (let call = 0; call < LIMIT; call++)
      expect((await h.trpc(ada, 'query', 'sora.status', { videoId: adas.id })).statusCode).toBe(200);

    const limited = await h.trpc(ada, 'query', 'sora.status', { videoId: adas.id });
    const seconds = expectTooManyRequests(limited, /Too many status requests; try again in \d+ s\./);
    const error = trpcErrorBody(limited);
    expect(error.data.code).toBe('TOO_MANY_REQUESTS');
    expect(Math.ceil((error.data.appError?.retryAfterMs ?? 0) / 1000)).toBe(seconds);

    for (let call = 0; call < LIMIT; call++)
      expect((await h.trpc(bob, 'query', 'sora.status', { videoId: bobs.id })).statusCode).toBe(200);
  });

  it('sora.generate: 429 with retry-after after the limit, and nothing is sent upstream', async () => {
    const ada = await h.signUp('ada');
    const videos = [];
    for (let n = 0; n <= LIMIT; n++) videos.push(await newVideo(ada, `Start ${n} [sim:duration=60000]`));
    // Three $0.40 starts are exactly the $1.20 cap: the fourth would be refused either way, but 429 comes first.
    for (const video of videos.slice(0, LIMIT)) {
      expect((await h.trpc(ada, 'mutation', 'sora.generate', { videoId: video.id })).statusCode).toBe(200);
    }
    const createsBefore = creates().length;
    const limited = await h.trpc(ada, 'mutation', 'sora.generate', { videoId: videos[LIMIT]!.id });
    expectTooManyRequests(limited, /Too many generation requests; try again in \d+ s\./);
    expect(creates()).toHaveLength(createsBefore);
  });

  it('sora.reset shares the generation budget: a reset-then-generate loop is refused with 429 before another paid start', async () => {
    const ada = await h.signUp('ada');
    const video = await newVideo(ada, 'A reset loop [sim:duration=60000]');
    const createsBefore = creates().length;
    // generate, reset, generate: the whole budget.
    const calls: Array<[string, number]> = [];
    for (let n = 0; n < LIMIT; n++) {
      const procedure = n % 2 === 0 ? 'sora.generate' : 'sora.reset';
      calls.push([procedure, (await h.trpc(ada, 'mutation', procedure, { videoId: video.id })).statusCode]);
    }
    expect(calls.every(([, status]) => status === 200)).toBe(true);
    const next = LIMIT % 2 === 0 ? 'sora.generate' : 'sora.reset';
    const limited = await h.trpc(ada, 'mutation', next, { videoId: video.id });
    expectTooManyRequests(limited, /Too many generation requests; try again in \d+ s\./);
    expect(trpcErrorBody(limited).data.code).toBe('TOO_MANY_REQUESTS');
    // Only the generate calls that were allowed reached upstream.
    expect(creates().length - createsBefore).toBe(Math.ceil(LIMIT / 2));
  });

  it('GET /api/videos/:id/content: 429 with retry-after after the limit; another user is not counted against it', async () => {
    const ada = await h.signUp('ada');
    const video = await newVideo(ada, 'A video to download [sim:duration=100]');
    await h.trpcData(ada, 'mutation', 'sora.generate', { videoId: video.id });
    // Follow it to the end without sora.status (which has its own small limit here).
    await waitUntil(
      () => h.services.refresh(video.id, { actor: 'user', freshForMs: 0 }),
      (result) => result?.video.soraGenerationStatus === 'completed',
      { timeoutMs: 15_000 },
    );
    const content = (user: SignedIn) =>
      h.inject({
        method: 'GET',
        url: `/api/videos/${video.id}/content`,
        headers: { cookie: user.cookie, range: 'bytes=0-99' },
      });
    for (let call = 0; call < LIMIT; call++) expect((await content(ada)).statusCode).toBe(206);

    const limited = await content(ada);
    expectTooManyRequests(limited, /Too many download requests; try again in \d+ s\./);
    // Mallory's requests count against her own budget: she gets the usual 404, not Ada's 429.
    const mallory = await h.signUp('mallory');
    expect((await content(mallory)).statusCode).toBe(404);
  });

  it('POST /api/auth/sign-in/email: per account and source; the owner signing in from elsewhere is not locked out', async () => {
    const ada = await h.signUp('ada');
    const bob = await h.signUp('bob');
    const signIn = (email: string, password: string, ip: string) =>
      h.inject({
        method: 'POST',
        url: '/api/auth/sign-in/email',
        remoteAddress: ip,
        headers: { 'content-type': 'application/json', origin: PUBLIC_URL },
        payload: JSON.stringify({ email, password }),
      });
    const attacker = '203.0.113.7';

    // An attacker guessing Ada's password from one address, changing the case of the email as it goes.
    for (let n = 0; n < LIMIT; n++) {
      const email = n % 2 === 0 ? ada.email : ada.email.toUpperCase();
      expect((await signIn(email, 'wrong password', attacker)).statusCode).toBe(401);
    }
    // Another body encoding better-auth also reads is the same account, not a way around the limit.
    const asForm = await h.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      remoteAddress: attacker,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: PUBLIC_URL },
      payload: new URLSearchParams({ email: ada.email, password: PASSWORD }).toString(),
    });
    expectTooManyRequests(asForm, /Too many sign-in requests/);
    // Even the right password is refused from the attacker's address...
    const limited = await signIn(ada.email, PASSWORD, attacker);
    expectTooManyRequests(limited, /Too many sign-in requests; try again in \d+ s\./);
    expect(limited.headers['set-cookie']).toBeUndefined();
    // ...and from another address in the same IPv6 /64 (one client usually holds the whole /64).
    for (let n = 0; n < LIMIT; n++) await signIn(ada.email, 'wrong password', `2001:db8:7:7::${n + 1}`);
    expectTooManyRequests(await signIn(ada.email, PASSWORD, '2001:db8:7:7::ffff'), /Too many sign-in requests/);

    // Ada herself, from her own address, signs in at once: the attacker's failures do not lock her out.
    expect((await signIn(ada.email, PASSWORD, '198.51.100.20')).statusCode).toBe(200);
    // Bob, from the attacker's address, signs in as often as he likes: his own account, and successes give theirs back.
    for (let n = 0; n < LIMIT + 2; n++) expect((await signIn(bob.email, PASSWORD, attacker)).statusCode).toBe(200);
  });
});

describe('daily spend cap over HTTP', () => {
  let spend: HttpApp;
  beforeAll(async () => {
    // Request limits off (the support default) so only the cap decides.
    spend = await startHttpApp({
      services: { settings: { statusFreshnessMs: 0, dailySpendCapUsd: CAP_USD } },
    });
  });
  afterAll(() => spend?.close());

  it('lets no concurrent burst of sora.generate pass the cap: the rest are 403 with the numbers', async () => {
    const create = (app: HttpApp, user: SignedIn, prompt: string) =>
      app.trpcData<{ id: string }>(user, 'mutation', 'videos.create', {
        prompt,
        model: 'sora-2',
        size: '720x1280',
        seconds: 4,
      });
    const ada = await spend.signUp('ada');
    const bob = await spend.signUp('bob');
    const adas = [];
    for (let n = 0; n < 8; n++) adas.push(await create(spend, ada, `Burst ${n} [sim:duration=60000]`));
    const bobs = [];
    for (let n = 0; n < 3; n++) bobs.push(await create(spend, bob, `Bob burst ${n} [sim:duration=60000]`));
    const createsBefore = spend.sim
      .requests()
      .filter((entry) => entry.method === 'POST' && entry.path === '/v1/videos').length;

    // All at once, Bob's burst mixed in: the cap is per user, so his three ($1.20) all fit.
    const responses = await Promise.all([
      ...adas.map((video) => spend.trpc(ada, 'mutation', 'sora.generate', { videoId: video.id })),
      ...bobs.map((video) => spend.trpc(bob, 'mutation', 'sora.generate', { videoId: video.id })),
    ]);
    const adaCodes = responses.slice(0, 8).map((response) => response.statusCode);
    expect(adaCodes.filter((code) => code === 200)).toHaveLength(3);
    expect(adaCodes.filter((code) => code === 403)).toHaveLength(5);
    expect(responses.slice(8).map((response) => response.statusCode)).toEqual([200, 200, 200]);
    for (const refused of responses.filter((response) => response.statusCode === 403)) {
      expect(trpcErrorBody(refused).message).toBe(
        'Daily spending limit reached: you have used $1.20 of your $1.20 limit today and this video would cost $0.40. ' +
          'The limit resets at 00:00 UTC.',
      );
      // Not a rate limit: nothing to wait a few seconds for.
      expect(refused.headers['retry-after']).toBeUndefined();
    }
    const createsAfter = spend.sim
      .requests()
      .filter((entry) => entry.method === 'POST' && entry.path === '/v1/videos').length;
    expect(createsAfter).toBe(createsBefore + 6);
  });
});
