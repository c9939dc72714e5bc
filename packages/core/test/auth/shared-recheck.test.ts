import { describe, expect, it, vi } from 'vitest';
import { createSharedUserRecheck } from '../../src/auth';
import { authOnFreshDb, callAuth, signedUpUser } from './harness';

const INTERVAL_MS = 10_000;
const T = 1_000_000_000;

describe('createSharedUserRecheck (open streams checking their session)', () => {
  it('answers every check of one session for one instant with one lookup, also after that lookup answered', async () => {
    const auth = await authOnFreshDb();
    const ada = await signedUpUser(auth, 'ada@example.com');
    const recheck = createSharedUserRecheck(auth, INTERVAL_MS);
    const lookups = vi.spyOn(auth.api, 'getSession');

    // Twenty streams due at T: some ask while the lookup runs, some after it answered (their timers fired late).
    const early = await Promise.all(Array.from({ length: 10 }, () => recheck(ada.headers, T)));
    const late = await Promise.all(Array.from({ length: 10 }, () => recheck(ada.headers, T)));
    expect([...early, ...late].every((user) => user?.email === 'ada@example.com')).toBe(true);
    expect(lookups).toHaveBeenCalledTimes(1);

    // A stream still catching up on an earlier instant takes the newer answer.
    await recheck(ada.headers, T - INTERVAL_MS);
    expect(lookups).toHaveBeenCalledTimes(1);

    // The next instant looks again.
    await recheck(ada.headers, T + INTERVAL_MS);
    expect(lookups).toHaveBeenCalledTimes(2);
  });

  it('sees a sign-out at the next instant, and keeps different sessions apart', async () => {
    const auth = await authOnFreshDb();
    const ada = await signedUpUser(auth, 'ada@example.com');
    const bob = await signedUpUser(auth, 'bob@example.com');
    const recheck = createSharedUserRecheck(auth, INTERVAL_MS);

    expect((await recheck(ada.headers, T))?.email).toBe('ada@example.com');
    expect((await recheck(bob.headers, T))?.email).toBe('bob@example.com');

    expect((await callAuth(auth, 'POST', '/sign-out', {}, { cookie: ada.cookie })).status).toBe(200);
    expect(await recheck(ada.headers, T + INTERVAL_MS)).toBeNull();
    expect((await recheck(bob.headers, T + INTERVAL_MS))?.email).toBe('bob@example.com');
  });

  it('forgets an answer after the interval it was kept for', async () => {
    const auth = await authOnFreshDb();
    const ada = await signedUpUser(auth, 'ada@example.com');
    const keepMs = 20;
    const recheck = createSharedUserRecheck(auth, keepMs);
    const lookups = vi.spyOn(auth.api, 'getSession');

    await recheck(ada.headers, T);
    // Timers of a shorter wait set earlier fire first: by the end of this wait the answer is forgotten.
    await new Promise((resolve) => setTimeout(resolve, keepMs * 3));
    await recheck(ada.headers, T);
    expect(lookups).toHaveBeenCalledTimes(2);
  });
});
