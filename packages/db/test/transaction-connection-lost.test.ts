import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../src';
import { executeRows } from '../src/rows';
import { createTestDatabase, testDbKind, type TestDatabase } from '../src/testing';

/*
 * When a transaction's connection is lost (the server ended it: the idle timeout, the stalled-session reaper, a
 * restart), the transaction rejects, but its callback is still running. postgres.js 3.4.9 then left the callback's
 * later statements waiting forever, or sent them on the reconnected connection, outside any transaction: half a commit
 * written. The patch in patches/postgres@3.4.9.patch fails them with the connection's error.
 */
describe.runIf(testDbKind() === 'postgres')('a transaction whose connection is lost mid-way', () => {
  let database: TestDatabase;
  let handle: DbHandle;
  let admin: DbHandle;
  const rows = async () =>
    (await executeRows<{ label: string }>(admin.db, sql`select label from marks order by label`)).map(
      (row) => row.label,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    admin = await createDb({ databaseUrl: database.url, max: 1 });
    await admin.db.execute(sql`create table marks (label text not null)`);
    handle = await createDb({ databaseUrl: database.url, max: 1, migrate: false });
  });
  afterAll(async () => {
    await handle?.close();
    await admin?.close();
    await database?.drop();
  });

  it('fails the statements its callback sends afterwards: none waits forever, none runs outside the transaction', async () => {
    let pid = 0;
    let carryOn!: () => void;
    const killed = new Promise<void>((resolve) => (carryOn = resolve));
    let lateWrite: Promise<unknown> | null = null;
    const transaction = handle.db.transaction(async (tx) => {
      const [backend] = await executeRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
      pid = backend!.pid;
      await tx.execute(sql`insert into marks values ('first, in the transaction')`);
      await killed;
      lateWrite = tx.execute(sql`insert into marks values ('second, after the connection was lost')`);
      await lateWrite;
    });
    const outcome = transaction.then(
      () => 'committed',
      (error: Error) => error.message,
    );
    await expect.poll(() => pid).toBeGreaterThan(0);
    await admin.db.execute(sql`select pg_terminate_backend(${pid})`);
    expect(await outcome).toMatch(/terminating connection|CONNECTION_CLOSED|write CONNECTION/);
    // The pool reconnects its one connection for the next ordinary query; the callback then goes on.
    expect(await executeRows(handle.db, sql`select 1 as one`)).toEqual([{ one: 1 }]);
    carryOn();
    await expect.poll(() => lateWrite !== null).toBe(true);
    await expect(lateWrite).rejects.toThrow();
    expect(await rows()).toEqual([]); // the first insert was rolled back with the session, the second never ran
  });
});
