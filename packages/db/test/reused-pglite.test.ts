import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { executeRows } from '../src/rows';
import { user } from '../src/schema';
import { openReusedPglite } from '../src/testing/reused-pglite';
import type { DbHandle } from '../src/types';

// The PGlite test databases are emptied and reused (src/testing/reused-pglite.ts): each test must still get what a
// fresh copy of the migrated template would give it, and nothing of the test before.

const currentTransaction = async (handle: DbHandle) =>
  Number((await executeRows<{ xid: string }>(handle.db, sql`select txid_current()::text as xid`))[0]!.xid);
const tableExists = async (handle: DbHandle, name: string) =>
  (
    await executeRows<{ found: string | null }>(handle.db, sql`select to_regclass(${name})::text as found`)
  )[0]!.found !== null;
const userCount = async (handle: DbHandle) =>
  (await executeRows<{ n: number }>(handle.db, sql`select count(*)::int as n from "user"`))[0]!.n;

async function addUser(handle: DbHandle, id: string) {
  await handle.db.insert(user).values({ id, name: id, email: `${id}@example.com`, emailVerified: true });
}

describe('reused PGlite test databases', () => {
  it('hand the next test an empty database, on the same PGlite (its transaction counter went on)', async () => {
    const first = await openReusedPglite({});
    await addUser(first, 'ada');
    await first.db.execute(sql`set application_name = 'first test'`);
    const before = await currentTransaction(first);
    await first.close();

    const second = await openReusedPglite({});
    expect(await userCount(second)).toBe(0);
    expect(
      (
        await executeRows<{ name: string }>(
          second.db,
          sql`select current_setting('application_name') as name`,
        )
      )[0]!.name,
    ).toBe('');
    // A fresh copy of the template would start from the template's counter again, below `before`.
    expect(await currentTransaction(second)).toBeGreaterThan(before);
    expect(await second.migrationsApplied()).toBe(true);
    await second.close();
  });

  it('revoke the closed handle: leftover work fails as on a closed database and cannot reach the next test', async () => {
    const first = await openReusedPglite({});
    await first.close();
    const second = await openReusedPglite({});

    // drizzle wraps the driver's error, as it does a closed PGlite's.
    await expect(addUser(first, 'late')).rejects.toMatchObject({ cause: { message: 'PGlite is closed' } });
    await expect(first.ping()).rejects.toThrow('PGlite is closed');
    expect(await userCount(second)).toBe(0);
    await second.close();
  });

  it('end the closed handle’s subscriptions', async () => {
    const first = await openReusedPglite({});
    const heardByFirst: string[] = [];
    await first.listen('reuse_channel', (payload) => heardByFirst.push(payload));
    await first.close();

    const second = await openReusedPglite({});
    const heardBySecond: string[] = [];
    await second.listen('reuse_channel', (payload) => heardBySecond.push(payload));
    await second.db.execute(sql`select pg_notify('reuse_channel', 'hello')`);
    await expect.poll(() => heardBySecond).toEqual(['hello']);
    expect(heardByFirst).toEqual([]);
    await second.close();
  });

  it('do not reuse a database whose test changed its schema', async () => {
    const first = await openReusedPglite({});
    await first.db.execute(sql`create table marks (label text not null)`);
    await first.close();

    const second = await openReusedPglite({});
    expect(await tableExists(second, 'marks')).toBe(false);
    await second.close();
  });

  it('do not reuse a database left inside a transaction', async () => {
    const first = await openReusedPglite({});
    await first.db.execute(sql`begin`);
    await addUser(first, 'uncommitted');
    await first.close();

    const second = await openReusedPglite({});
    expect(await userCount(second)).toBe(0);
    // Not inside the first test's transaction: no transaction id assigned yet.
    expect(
      (
        await executeRows<{ xid: string | null }>(
          second.db,
          sql`select txid_current_if_assigned()::text as xid`,
        )
      )[0]!.xid,
    ).toBeNull();
    await second.close();
  });

  it('restart identities and keep each caller’s statement hook', async () => {
    const nextEventId = async (handle: DbHandle) =>
      Number(
        (
          await executeRows<{ id: string }>(
            handle.db,
            sql`select nextval(pg_get_serial_sequence('sora_events', 'id'))::text as id`,
          )
        )[0]!.id,
      );
    const seenByFirst: string[] = [];
    const first = await openReusedPglite({ onQuery: (text) => seenByFirst.push(text) });
    expect(await nextEventId(first)).toBe(1);
    expect(await nextEventId(first)).toBe(2);
    await first.close();

    const seenBySecond: string[] = [];
    const second = await openReusedPglite({ onQuery: (text) => seenBySecond.push(text) });
    expect(await nextEventId(second)).toBe(1);
    expect(seenByFirst).toHaveLength(2);
    expect(seenBySecond).toHaveLength(1);
    await second.close();
  });
});
