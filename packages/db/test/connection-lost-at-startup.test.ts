import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../src';
import { executeRows } from '../src/rows';
import { createTestDatabase, testDbKind, type TestDatabase } from '../src/testing';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

/*
 * A new connection's first statement is postgres.js's own: it reads the server's array types. When the server went
 * away right then, postgres.js 3.4.9 failed the waiting query as it should, and also rejected that internal query's
 * promise with nothing to handle it: Node ends a process on an unhandled rejection, so a database outage at that
 * moment crashed the server (seen in the 30-second outage test, porsager/postgres#1192). The patch in
 * patches/postgres@3.4.9.patch leaves the failure to the waiting query.
 */
describe.runIf(testDbKind() === 'postgres')('the database goes away while a new connection starts up', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let handle: DbHandle;
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    database = await createTestDatabase();
    const target = new URL(database.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    handle = await createDb({
      databaseUrl: viaProxy.toString(),
      max: 1,
      migrate: false,
      connectTimeoutSeconds: 2,
    });
    process.on('unhandledRejection', record);
  });
  afterEach(() => {
    unhandled.length = 0;
  });
  afterAll(async () => {
    process.off('unhandledRejection', record);
    await handle?.close();
    await proxy?.close();
    await database?.drop();
  });

  const selectOne = () => executeRows<{ one: number }>(handle.db, sql`select 1 as one`);

  it('fails the waiting query, leaves no unhandled rejection, and works again once the server is back', async () => {
    expect(await selectOne()).toEqual([{ one: 1 }]);
    let tripped = false;
    const cut = proxy.cutWhenClientSends('typcategory').then(() => (tripped = true)); // words of that query
    // The pool's one connection goes; the next query opens a new one (a query sent before the pool noticed the drop
    // fails on the old one: then the one after it opens the new connection).
    proxy.dropConnections();
    const failures: unknown[] = [];
    for (let attempt = 0; attempt < 3 && !tripped; attempt += 1) {
      failures.push(
        await selectOne().then(
          () => null,
          (error: unknown) => error,
        ),
      );
    }
    await cut;
    const failure = failures.at(-1);
    expect(failure, 'the query that waited on the new connection fails').toBeInstanceOf(Error);
    expect(String((failure as Error & { cause?: unknown }).cause)).toMatch(
      /ECONNREFUSED|ECONNRESET|CONNECTION_CLOSED/,
    );
    // Node reports an unhandled rejection once the turn that made it has run its microtasks; give it a few turns.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(unhandled).toEqual([]);

    await proxy.restore();
    expect(await selectOne()).toEqual([{ one: 1 }]);
  });
});
