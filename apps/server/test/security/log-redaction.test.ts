import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger';
import { startProductionApp, type ProductionApp, type SignedIn } from './production-app';

/*
 * Credentials never reach the log: Authorization headers, cookies (sent and set) and API keys, whether they sit on a
 * request, a response or an error object. Checked on the server's own logger, directly and for real requests.
 */

const KEY = `sk-log-canary-${randomUUID()}`;

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ logLevel: 'trace' }, false, {
    write: (line: string) => void lines.push(line),
  });
  return { logger, text: () => lines.join('') };
}

describe('createLogger', () => {
  it('redacts authorization, cookies and set-cookie on requests, responses and bare header objects', () => {
    const { logger, text } = capture();
    const headers = {
      authorization: `Bearer ${KEY}`,
      cookie: `session=${KEY}`,
      'set-cookie': `session=${KEY}; HttpOnly`,
      'x-api-key': KEY,
      accept: 'text/html',
    };
    logger.info({ req: { method: 'GET', url: '/x', headers } }, 'request');
    logger.info({ res: { statusCode: 200, headers } }, 'response');
    logger.info({ headers }, 'headers');
    const output = text();
    expect(output).not.toContain(KEY);
    expect(output.match(/\[redacted\]/g)?.length).toBe(12);
    expect(output).toContain('text/html'); // only the credentials go
  });

  it('redacts an API key or S3 secret carried by an error object, a client or the configuration', () => {
    const { logger, text } = capture();
    const err = Object.assign(new Error('upstream refused the request'), {
      apiKey: KEY,
      headers: { authorization: `Bearer ${KEY}` },
      request: { headers: { authorization: `Bearer ${KEY}` } },
    });
    logger.error({ err }, 'upstream call failed');
    logger.info({ client: { apiKey: KEY, baseURL: 'https://example.invalid/v1' } }, 'client');
    logger.info({ config: { openai: { apiKey: KEY } } }, 'config');
    // S3 credentials, on the blob store's configuration and as the AWS SDK holds them.
    logger.info({ config: { blobStore: { kind: 's3', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: KEY } } }, 'storage');
    logger.error({ err: { credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: KEY, sessionToken: KEY } } }, 's3 failed');
    const output = text();
    expect(output).not.toContain(KEY);
    expect(output).toContain('upstream refused the request');
    expect(output).toContain('https://example.invalid/v1');
  });
});

describe('the running server', () => {
  let prod: ProductionApp;
  let ada: SignedIn;

  beforeAll(async () => {
    // The most verbose level, so every line any component (fastify, better-auth, tRPC) might write is searched.
    prod = await startProductionApp({
      logLevel: 'trace',
      addRoutes: (app) =>
        // A handler failing with credentials on its error object, as an HTTP client library's error might carry them.
        app.get('/test-only/failing-upstream', () => {
          throw Object.assign(new Error('upstream refused the request'), {
            apiKey: KEY,
            headers: { authorization: `Bearer ${KEY}` },
          });
        }),
    });
    ada = await prod.signUp('ada');
  });
  afterAll(() => prod?.close());

  it('logs requests with Authorization, Cookie and Set-Cookie without their values', async () => {
    const created = await prod.trpc(ada, 'mutation', 'tokens.create', { name: 'cli' });
    expect(created.statusCode).toBe(200);
    const token = JSON.stringify(created.json()).match(/"(?:key|token)":"([^"]+)"/)?.[1];
    expect(token).toBeTruthy();
    const me = await prod.app.inject({
      method: 'GET',
      url: '/trpc/me.get',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.statusCode).toBe(200);
    const signIn = await prod.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:3000', cookie: ada.cookie },
      payload: JSON.stringify({ email: 'nobody@example.com', password: 'wrong password' }),
    });
    expect(signIn.statusCode).toBeGreaterThanOrEqual(400);

    const output = prod.logText();
    // The requests were logged (with fastify's serializers), so the search below reads the right lines.
    expect(output).toContain('/trpc/me.get');
    expect(output).toContain('/api/auth/sign-in/email');
    const sessionToken = ada.cookie.split('=')[1]!;
    const setCookieValue = ada.setCookie.split(';')[0]!.split('=')[1]!;
    for (const secret of [token!, sessionToken, decodeURIComponent(sessionToken), setCookieValue]) {
      expect(output).not.toContain(secret);
    }
  });

  it('logs a failing handler in full except the API key on its error', async () => {
    const response = await prod.app.inject({
      method: 'GET',
      url: '/test-only/failing-upstream',
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain(KEY);
    const line = prod
      .logText()
      .split('\n')
      .find((entry) => entry.includes('upstream refused the request'));
    expect(line).toBeDefined();
    expect(line).toContain('"stack"');
    expect(line).not.toContain(KEY);
    expect(prod.logText()).not.toContain(KEY);
  });
});
