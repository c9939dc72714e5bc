import { createTestDatabase, testDbKind, type TestDatabase } from '@sora-monitor/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamBudget, tokenBatchLimit } from '../../src/provider';
import { createPostgresRateLimitStore, type RateLimitStore } from '../../src/rate-limits/postgres-store';

/*
 * The upstream budget belongs to the API key, not to a process: two instances on one PostgreSQL database (each with
 * its own connection pool, as two servers have) send at most the budget together, and a retry-after one of them
 * hears pauses the other. On PGlite there is one process and nothing to share.
 */

let database: TestDatabase;
const stores: RateLimitStore[] = [];
const openStore = () => {
  const store = createPostgresRateLimitStore(database.url);
  stores.push(store);
  return store;
};
/** A store whose counter statements are counted (every consume and block is one). */
const countingStore = () => {
  const store = openStore();
  const counted = { statements: 0 };
  const query = store.client.query.bind(store.client);
  return {
    counted,
    store: { ...store, client: { query: (q: Parameters<typeof query>[0]) => ((counted.statements += 1), query(q)) } },
  };
};

describe.runIf(testDbKind() === 'postgres')('the shared upstream budget', () => {
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await database?.drop();
  });

  it('lets two instances send the budget together, not each', async () => {
    const key = 'api-key-digest-a';
    const first = createUpstreamBudget(6, { store: openStore(), key });
    const second = createUpstreamBudget(6, { store: openStore(), key });
    let granted = 0;
    const asks = [first, second].flatMap((budget) => Array.from({ length: 5 }, () => budget.acquire().then(() => (granted += 1))));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // 10 asked, 6 a minute allowed between them: the other 4 wait for the next window.
    expect(granted).toBe(6);
    // Another key (another account) has a budget of its own.
    const other = createUpstreamBudget(6, { store: openStore(), key: 'api-key-digest-b' });
    expect(await other.acquire()).toBeLessThan(1_000);
    void Promise.allSettled(asks);
  });

  it('pauses every instance when one hears retry-after', async () => {
    const key = 'api-key-digest-c';
    const hearing = createUpstreamBudget(1_000, { store: openStore(), key });
    const elsewhere = createUpstreamBudget(1_000, { store: openStore(), key });
    await elsewhere.acquire();
    await hearing.pauseFor(2_000);
    const waited = await elsewhere.acquire();
    // Whole seconds in the shared counter: at least the pause (less the time since it was set), at most a second more.
    expect(waited).toBeGreaterThanOrEqual(1_500);
    expect(waited).toBeLessThan(4_500);
  });

  it('keeps a pause under a second to this process (rounding it up to a second for everyone would cost more)', async () => {
    const key = 'api-key-digest-d';
    const hearing = createUpstreamBudget(1_000, { store: openStore(), key });
    const elsewhere = createUpstreamBudget(1_000, { store: openStore(), key });
    await hearing.pauseFor(300);
    expect(await elsewhere.acquire()).toBeLessThan(250);
    expect(await hearing.acquire()).toBeGreaterThanOrEqual(150);
  });

  it('takes a burst from the counter in batches: one statement for many requests, never past the budget', async () => {
    const key = 'api-key-digest-e';
    // 300 a minute: batches of up to 10. Two instances, 200 requests each asked at once: 400 asked, 300 allowed.
    expect(tokenBatchLimit(300)).toBe(10);
    const first = countingStore();
    const second = countingStore();
    const budgets = [createUpstreamBudget(300, { store: first.store, key }), createUpstreamBudget(300, { store: second.store, key })];
    let granted = 0;
    const asks = budgets.flatMap((budget) => Array.from({ length: 200 }, () => budget.acquire().then(() => (granted += 1))));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    // Exactly the budget: the last batch that did not fit whole got the part that did.
    expect(granted).toBe(300);
    // 300 requests in batches of 10, and a refused batch per instance: about 32 statements, not 300 (one each).
    expect(first.counted.statements + second.counted.statements).toBeLessThanOrEqual(40);
    void Promise.allSettled(asks);
  });
});
