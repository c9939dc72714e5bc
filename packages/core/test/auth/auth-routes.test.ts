import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
// The server's route is tested here, next to the auth it mounts, against a real fastify instance.
import { registerAuthRoutes } from '../../../../apps/server/src/http/auth-routes';
import { resolveRequestUser, type Auth } from '../../src/auth';
import { authOnFreshDb, LOCAL_BASE_URL } from './harness';

async function appWithAuth(auth: Auth): Promise<FastifyInstance> {
  const app = Fastify();
  onTestFinished(() => app.close());
  await registerAuthRoutes(app, auth);
  // A neighbouring route: it must keep fastify's ordinary JSON parsing.
  app.post('/echo', async (request) => ({ received: request.body }));
  await app.ready();
  return app;
}

const json = (payload: unknown) => ({
  headers: { 'content-type': 'application/json', origin: LOCAL_BASE_URL },
  payload: JSON.stringify(payload),
});

const cookiesOf = (header: string | string[] | number | undefined): string[] =>
  header === undefined ? [] : Array.isArray(header) ? header : [String(header)];

describe('registerAuthRoutes', () => {
  it('signs up and signs in over HTTP, passing every Set-Cookie through', async () => {
    const auth = await authOnFreshDb();
    const app = await appWithAuth(auth);
    const credentials = { email: 'ada@example.com', password: 'correct horse battery' };

    const signUp = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      ...json({ ...credentials, name: 'Ada' }),
    });
    expect(signUp.statusCode).toBe(200);
    expect(signUp.json()).toMatchObject({ user: { email: 'ada@example.com' } });
    expect(
      cookiesOf(signUp.headers['set-cookie']).some((line) => /session_token=[^;]+;.*HttpOnly/i.test(line)),
    ).toBe(true);

    const signIn = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      ...json({ ...credentials, rememberMe: false }),
    });
    expect(signIn.statusCode).toBe(200);
    // rememberMe=false makes better-auth set two cookies: both must arrive as separate lines.
    const lines = cookiesOf(signIn.headers['set-cookie']);
    expect(lines.some((line) => line.includes('session_token='))).toBe(true);
    expect(lines.some((line) => line.includes('dont_remember='))).toBe(true);

    const sessionPair = lines.find((line) => line.includes('session_token='))?.split(';')[0] ?? '';
    expect(await resolveRequestUser(auth, new Headers({ cookie: sessionPair }))).toMatchObject({
      email: 'ada@example.com',
    });

    const session = await app.inject({
      method: 'GET',
      url: '/api/auth/get-session',
      headers: { cookie: sessionPair },
    });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ user: { email: 'ada@example.com' } });
  });

  it('rate-limits by the address fastify sees, whatever X-Forwarded-For the client claims', async () => {
    const auth = await authOnFreshDb({ signInRateLimit: { windowSec: 60, max: 2 } });
    const app = await appWithAuth(auth);
    const attempt = (claimedIp: string) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/sign-in/email',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': claimedIp },
        payload: JSON.stringify({ email: 'nobody@example.com', password: 'wrong password!' }),
      });

    expect((await attempt('192.0.2.1')).statusCode).toBe(401);
    expect((await attempt('192.0.2.2')).statusCode).toBe(401);
    expect((await attempt('192.0.2.3')).statusCode).toBe(429);
  });

  it('leaves body parsing of other routes alone', async () => {
    const app = await appWithAuth(await authOnFreshDb());

    const response = await app.inject({ method: 'POST', url: '/echo', ...json({ hello: 'world' }) });
    expect(response.json()).toEqual({ received: { hello: 'world' } });
  });
});
