import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, videos, type DbHandle } from '../src';
import { executeRows } from '../src/rows';
import { createTestDatabase, testDbKind, type TestDatabase } from '../src/testing';

/*
 * A transaction left idle (its process paused with SIGSTOP, or cut off, between two statements) must not keep its row
 * locks for good: `SKIP LOCKED` claims would pass the row over and no other worker could take the generation over.
 * The server ends such a session after idleInTransactionTimeoutMs.
 */
describe.runIf(testDbKind() === 'postgres')('a transaction left idle', () => {
  let database: TestDatabase;
  let stalled: DbHandle;
  let other: DbHandle;
  beforeAll(async () => {
    database = await createTestDatabase();
    stalled = await createDb({ databaseUrl: database.url, max: 1, idleInTransactionTimeoutMs: 500 });
    other = await createDb({ databaseUrl: database.url, max: 1, migrate: false });
  });
  afterAll(async () => {
    await stalled?.close();
    await other?.close();
    await database?.drop();
  });

  it('is ended by the server, and the rows it locked can be claimed again', async () => {
    await stalled.db.execute(sql`insert into "user" (id, name, email, email_verified, created_at, updated_at)
      values ('u-idle', 'Idle', 'idle@example.com', false, now(), now())`);
    const [video] = await stalled.db
      .insert(videos)
      .values({ userId: 'u-idle', title: 'Locked', prompt: 'Locked', model: 'sora-2', size: '720x1280', seconds: 4 })
      .returning({ id: videos.id });
    const lockedRows = () =>
      executeRows<{ id: string }>(other.db, sql`select id from videos where id = ${video!.id} for update skip locked`);

    const transaction = stalled.db
      .transaction(async (tx) => {
        await tx.execute(sql`select id from videos where id = ${video!.id} for update`);
        // The process stops here, between two statements, longer than the timeout.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        await tx.execute(sql`select 1`);
      })
      .then(
        () => 'committed',
        () => 'ended by the server',
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await lockedRows()).toHaveLength(0); // held: passed over
    expect(await transaction).toBe('ended by the server');
    expect(await lockedRows()).toHaveLength(1); // released: claimable again
  });
});
