import { createTestDatabase, testDbKind, type TestDatabase } from '@sora-monitor/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain';
import { createPostgresRateLimitStore, type RateLimitStore } from '../../src/rate-limits/postgres-store';
import { createUserRateLimiter, createUserRateLimits } from '../../src/rate-limits/user-rate-limits';

/*
 * Two "instances" (each with its own connection pool and limiters) on one fresh PostgreSQL database share a user's
 * budget: three instances must not allow three times the limit.
 */
describe.skipIf(testDbKind() === 'pglite')('per-user rate limits counted in PostgreSQL', () => {
  let database: TestDatabase;
  let first: RateLimitStore;
  let second: RateLimitStore;
  beforeAll(async () => {
    database = await createTestDatabase();
    first = createPostgresRateLimitStore(database.url);
    second = createPostgresRateLimitStore(database.url);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  });

  const rule = { max: 3, windowSec: 60 };

  async function refusal(consume: Promise<void>): Promise<AppError> {
    const error = await consume.then(
      () => null,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }

  it('shares one budget per user between instances', async () => {
    const onA = createUserRateLimits({ generate: rule }, first).generate;
    const onB = createUserRateLimits({ generate: rule }, second).generate;
    await onA.consume('user-1');
    await onB.consume('user-1');
    await onA.consume('user-1');
    const refused = await refusal(onB.consume('user-1'));
    expect(refused.code).toBe('TOO_MANY_REQUESTS');
    expect(refused.message).toMatch(/^Too many generation requests; try again in \d+ s\.$/);
    await expect(onA.consume('user-1')).rejects.toBeInstanceOf(AppError);
    // Another user, and another limit of the same user, have budgets of their own.
    await onB.consume('user-2');
    await createUserRateLimits({ status: rule }, second).status.consume('user-1');
  });

  it('gives a refunded request back to every instance', async () => {
    const onA = createUserRateLimiter('sign-in', { max: 1, windowSec: 60 }, first, 'refund-test');
    const onB = createUserRateLimiter('sign-in', { max: 1, windowSec: 60 }, second, 'refund-test');
    await onA.consume('ada@example.com');
    await onB.refund('ada@example.com');
    await onA.consume('ada@example.com'); // only because B's refund reached A's count
    await expect(onB.consume('ada@example.com')).rejects.toBeInstanceOf(AppError);
  });

  it('counts a key longer than the table allows', async () => {
    const limiter = createUserRateLimiter('sign-in', { max: 1, windowSec: 60 }, first, 'long-key');
    const email = `${'a'.repeat(300)}@example.com`;
    await limiter.consume(email);
    await expect(
      createUserRateLimiter('sign-in', { max: 1, windowSec: 60 }, second, 'long-key').consume(email),
    ).rejects.toBeInstanceOf(AppError);
  });

  it('without a shared store, each instance counts on its own (PGlite, one process)', async () => {
    const onA = createUserRateLimits({ generate: { max: 1, windowSec: 60 } }).generate;
    const onB = createUserRateLimits({ generate: { max: 1, windowSec: 60 } }).generate;
    await onA.consume('user-3');
    await onB.consume('user-3');
    await expect(onA.consume('user-3')).rejects.toBeInstanceOf(AppError);
  });

  /** The store with every statement its limiters send counted. */
  function counted(store: RateLimitStore) {
    const sent = { statements: 0 };
    const client = {
      query: (query: { text: string; values?: unknown[] }) => (
        (sent.statements += 1),
        store.client.query(query)
      ),
    };
    return { store: { ...store, client }, sent };
  }

  it('takes status requests ahead in batches: one counter write per batch, and two instances still allow exactly the limit', async () => {
    const rule = { max: 60, windowSec: 60 }; // a batch of 2
    const a = counted(first);
    const b = counted(second);
    const onA = createUserRateLimits({ status: rule }, a.store).status;
    const onB = createUserRateLimits({ status: rule }, b.store).status;
    let granted = 0;
    let refused: AppError | null = null;
    for (let i = 0; i < 100 && !refused; i += 1) {
      const error = await (i % 2 === 0 ? onA : onB).consume('batched-user').then(
        () => null,
        (rejection: unknown) => rejection as AppError,
      );
      if (error) refused = error;
      else granted += 1;
    }
    expect(granted).toBe(60);
    expect(refused?.message).toMatch(/^Too many status requests; try again in \d+ s\.$/);
    // 60 requests in batches of 2 (30 writes) and the refused one's write; one request each would have been 61.
    expect(a.sent.statements + b.sent.statements).toBe(31);
  });

  it('never takes ahead for the generation limit, which guards money: every request is counted where every instance sees it', async () => {
    const rule = { max: 60, windowSec: 60 };
    const a = counted(first);
    const onA = createUserRateLimits({ generate: rule }, a.store).generate;
    for (let i = 0; i < 4; i += 1) await onA.consume('exact-user');
    expect(a.sent.statements).toBe(4);
  });
});
