import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_SECRET, startProductionApp, type ProductionApp, type SignedIn } from './production-app';

/*
 * Internal errors in production: the caller gets a generic message and a request id; the driver's message (which
 * quotes the SQL), the stack and any secret stay in the server log. The errors are real: the `videos` table is
 * renamed away under a running server, so every query on it fails in the database driver.
 */

const GENERIC =
  /^Something went wrong on our side\. Try again; if it keeps happening, tell the operator \(request id [\w-]+\)\.$/;

function expectNothingInternal(response: LightMyRequestResponse, secrets: string[]) {
  const body = response.body;
  expect(body).not.toMatch(/\n\s+at /); // a stack frame
  expect(body).not.toMatch(/\.(ts|js|mjs|cjs):\d+/);
  expect(body).not.toMatch(/node_modules|\/work\/|\/src\//);
  expect(body).not.toMatch(/\b(select|insert into|update|delete from)\b/i);
  expect(body).not.toMatch(/from\s+\\?"|\\?"videos\\?"|Failed query|does not exist|relation/i);
  expect(body).not.toMatch(/postgres(ql)?:\/\/|127\.0\.0\.1|pglite/i);
  for (const secret of secrets) expect(body).not.toContain(secret);
}

async function withVideosTableGone<T>(prod: ProductionApp, action: () => Promise<T>): Promise<T> {
  const { db } = prod.database.handle;
  await db.execute(sql.raw('ALTER TABLE videos RENAME TO videos_gone'));
  try {
    return await action();
  } finally {
    await db.execute(sql.raw('ALTER TABLE videos_gone RENAME TO videos'));
  }
}

describe('in production', () => {
  let prod: ProductionApp;
  let ada: SignedIn;
  let videoId: string;
  let secrets: string[];

  beforeAll(async () => {
    prod = await startProductionApp();
    ada = await prod.signUp('ada');
    const created = await prod.trpc(ada, 'mutation', 'videos.create', { prompt: 'A lighthouse in a storm' });
    videoId = (created.json() as { result: { data: { id: string } } }).result.data.id;
    secrets = [AUTH_SECRET, prod.sim.apiKey, ada.cookie.split('=')[1]!];
  });
  afterAll(() => prod?.close());

  it('a tRPC query failing in the database answers INTERNAL_SERVER_ERROR with a generic message, logged in full', async () => {
    const response = await withVideosTableGone(prod, () => prod.trpc(ada, 'query', 'videos.list', {}));
    expect(response.statusCode).toBe(500);
    const error = (response.json() as { error: { message: string; data: { code: string; stack?: string } } })
      .error;
    expect(error.data.code).toBe('INTERNAL_SERVER_ERROR');
    expect(error.message).toMatch(GENERIC);
    expect(error.data.stack).toBeUndefined();
    expectNothingInternal(response, secrets);

    // The operator still has the whole story, under the request id the user was given.
    const requestId = /request id ([\w-]+)/.exec(error.message)![1]!;
    const logged = prod
      .logText()
      .split('\n')
      .filter((line) => line.includes('tRPC procedure failed'));
    expect(
      logged.some(
        (line) => line.includes(`"reqId":"${requestId}"`) && /videos/.test(line) && /"stack"/.test(line),
      ),
    ).toBe(true);
  });

  it('a tRPC mutation failing in the database is masked the same way', async () => {
    const response = await withVideosTableGone(prod, () =>
      prod.trpc(ada, 'mutation', 'videos.create', { prompt: 'Never stored' }),
    );
    expect(response.statusCode).toBe(500);
    expect((response.json() as { error: { message: string } }).error.message).toMatch(GENERIC);
    expectNothingInternal(response, secrets);
  });

  it('a fastify route (the content route) failing in the database answers 500 with a generic message, logged in full', async () => {
    const response = await withVideosTableGone(prod, () =>
      prod.app.inject({
        method: 'GET',
        url: `/api/videos/${videoId}/content`,
        headers: { cookie: ada.cookie },
      }),
    );
    expect(response.statusCode).toBe(500);
    const body = response.json() as { message: string; requestId: string };
    expect(body.message).toMatch(GENERIC);
    expect(body.message).toContain(body.requestId);
    expectNothingInternal(response, secrets);
    const logged = prod
      .logText()
      .split('\n')
      .filter((line) => line.includes('request failed'));
    expect(
      logged.some(
        (line) => line.includes(`"reqId":"${body.requestId}"`) && /videos/.test(line) && /"stack"/.test(line),
      ),
    ).toBe(true);
  });

  it('a 4xx from a fastify route keeps its message: it tells the caller what to fix', async () => {
    const response = await prod.app.inject({
      method: 'POST',
      url: '/api/webhooks/openai',
      headers: { 'content-type': 'application/json' },
      payload: 'x'.repeat(1_048_577),
    });
    expect(response.statusCode).toBe(413);
    expect((response.json() as { message: string }).message).toMatch(/too large/i);
  });
});

describe('in development (the contrast: the same failures show their real message)', () => {
  let dev: ProductionApp;
  afterAll(() => dev?.close());

  it('exposes the driver message, so the masking above is a production decision and the checks can see a leak', async () => {
    dev = await startProductionApp({ nodeEnv: 'development' });
    const ada = await dev.signUp('ada');
    const response = await withVideosTableGone(dev, () => dev.trpc(ada, 'query', 'videos.list', {}));
    expect(response.statusCode).toBe(500);
    expect((response.json() as { error: { message: string } }).error.message).not.toMatch(GENERIC);
    expect(() => expectNothingInternal(response, [])).toThrow();

    const videoId = '7d1c4c8e-2f4b-4a52-9a57-3f3b7b0c9e11';
    const route = await withVideosTableGone(dev, () =>
      dev.app.inject({
        method: 'GET',
        url: `/api/videos/${videoId}/content`,
        headers: { cookie: ada.cookie },
      }),
    );
    expect(route.statusCode).toBe(500);
    expect(() => expectNothingInternal(route, [])).toThrow();
  });
});
