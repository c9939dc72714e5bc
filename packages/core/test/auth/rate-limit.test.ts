import { createTestDb } from '@sora-monitor/db/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createAuth } from '../../src/auth';
import { authOnFreshDb, LOCAL_BASE_URL, recordingLogger, signedUpUser, signIn } from './harness';

const LIMIT = { windowSec: 60, max: 3 };

describe('sign-in rate limit', () => {
  it('answers 429 once a client IP has used up its attempts', async () => {
    const auth = await authOnFreshDb({ signInRateLimit: LIMIT });
    await signedUpUser(auth, 'ada@example.com');

    const statuses: number[] = [];
    for (let attempt = 0; attempt < LIMIT.max; attempt += 1) {
      statuses.push(
        (await signIn(auth, 'ada@example.com', 'wrong password!', { ip: '198.51.100.1' })).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401]);

    // Even the right password is refused now: the limit is on attempts, not on failures.
    const limited = await signIn(auth, 'ada@example.com', undefined, { ip: '198.51.100.1' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('x-retry-after'))).toBeGreaterThan(0);

    // Another client is unaffected.
    expect((await signIn(auth, 'ada@example.com', undefined, { ip: '198.51.100.2' })).status).toBe(200);
  });

  it('counts attempts across server instances sharing the database', async () => {
    const { handle, cleanup } = await createTestDb();
    onTestFinished(cleanup);
    const secret = 'another-test-secret-0123456789abcdefghijkl';
    const instanceA = createAuth({
      db: handle.db,
      secret,
      baseURL: LOCAL_BASE_URL,
      signInRateLimit: LIMIT,
      logger: recordingLogger(),
    });
    const instanceB = createAuth({
      db: handle.db,
      secret,
      baseURL: LOCAL_BASE_URL,
      signInRateLimit: LIMIT,
      logger: recordingLogger(),
    });
    await signedUpUser(instanceA, 'ada@example.com');

    const ip = '198.51.100.3';
    await signIn(instanceA, 'ada@example.com', 'wrong password!', { ip });
    await signIn(instanceB, 'ada@example.com', 'wrong password!', { ip });
    await signIn(instanceA, 'ada@example.com', 'wrong password!', { ip });

    expect((await signIn(instanceB, 'ada@example.com', undefined, { ip })).status).toBe(429);
  });
});
