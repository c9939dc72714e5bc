import { describe, expect, it } from 'vitest';
import { resolveRequestUser } from '../../src/auth';
import {
  authOnFreshDb,
  callAuth,
  recordingLogger,
  sessionCookie,
  signedUpUser,
  signIn,
  signUp,
} from './harness';

const asHeaders = (cookie: string) => new Headers({ cookie });

describe('email + password sign-in', () => {
  it('signs the new user in at sign-up', async () => {
    const auth = await authOnFreshDb();
    const { headers } = await signedUpUser(auth, 'ada@example.com');

    const user = await resolveRequestUser(auth, headers);
    expect(user).toMatchObject({ email: 'ada@example.com', name: 'ada', via: 'session' });
  });

  it('refuses a password shorter than 8 characters', async () => {
    const auth = await authOnFreshDb();
    const response = await signUp(auth, 'ada@example.com', 'short');

    expect(response.status).toBe(400);
    expect(sessionCookie(response)).toBeUndefined();
  });

  it('answers a wrong password with 401 and no session, and logs it', async () => {
    const logger = recordingLogger();
    const auth = await authOnFreshDb({ logger });
    await signedUpUser(auth, 'ada@example.com');

    const response = await signIn(auth, 'ada@example.com', 'wrong password!');
    expect(response.status).toBe(401);
    expect(sessionCookie(response)).toBeUndefined();
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'Invalid password' }));
  });

  it('stores a hash, never the password', async () => {
    const auth = await authOnFreshDb();
    await signedUpUser(auth, 'ada@example.com');

    const context = await auth.$context;
    const accounts = await context.adapter.findMany<{ password: string | null }>({ model: 'account' });
    expect(accounts).toHaveLength(1);
    expect(accounts[0]?.password).toBeTruthy();
    expect(accounts[0]?.password).not.toContain('correct horse battery');
  });

  it('issues a different session token at every sign-in', async () => {
    const auth = await authOnFreshDb();
    const { cookie: atSignUp } = await signedUpUser(auth, 'ada@example.com');

    const first = sessionCookie(await signIn(auth, 'ada@example.com'))?.pair;
    const second = sessionCookie(await signIn(auth, 'ada@example.com'))?.pair;
    expect(first).toBeTruthy();
    expect(second).toBeTruthy();
    expect(new Set([atSignUp, first, second]).size).toBe(3);
  });

  it('rotates the session: signing in with an old cookie revokes it', async () => {
    const auth = await authOnFreshDb();
    const { cookie: old } = await signedUpUser(auth, 'ada@example.com');

    const response = await signIn(auth, 'ada@example.com', undefined, { cookie: old });
    const fresh = sessionCookie(response)?.pair;
    expect(response.status).toBe(200);
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(old);

    expect(await resolveRequestUser(auth, asHeaders(old))).toBeNull();
    expect(await resolveRequestUser(auth, asHeaders(fresh ?? ''))).toMatchObject({
      email: 'ada@example.com',
    });
  });

  it('after sign-out the old cookie no longer resolves a user', async () => {
    const auth = await authOnFreshDb();
    const { cookie } = await signedUpUser(auth, 'ada@example.com');
    expect(await resolveRequestUser(auth, asHeaders(cookie))).not.toBeNull();

    const signOut = await callAuth(auth, 'POST', '/sign-out', {}, { cookie });
    expect(signOut.status).toBe(200);
    // The response tells the browser to drop the cookie…
    expect(sessionCookie(signOut)).toBeUndefined();
    expect(signOut.headers.getSetCookie().some((line) => /session_token=;/.test(line))).toBe(true);

    // …and a copy kept anyway is worthless, for the application and for better-auth's own endpoints.
    expect(await resolveRequestUser(auth, asHeaders(cookie))).toBeNull();
    const session = await callAuth(auth, 'GET', '/get-session', undefined, { cookie });
    expect(await session.json()).toBeNull();
  });

  it('refuses a cookie-bearing POST from a foreign origin', async () => {
    const auth = await authOnFreshDb();
    const { cookie } = await signedUpUser(auth, 'ada@example.com');

    const response = await callAuth(
      auth,
      'POST',
      '/sign-out',
      {},
      { cookie, headers: { origin: 'https://evil.example' } },
    );
    expect(response.status).toBe(403);
    expect(await resolveRequestUser(auth, asHeaders(cookie))).not.toBeNull();
  });

  it('resolves nobody without credentials', async () => {
    const auth = await authOnFreshDb();
    expect(await resolveRequestUser(auth, new Headers())).toBeNull();
  });
});
