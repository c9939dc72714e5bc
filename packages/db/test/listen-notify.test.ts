import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, notify, type Database, type DbHandle, type DbLogger } from '../src';
import { createTestDatabase, createTestDb, testDbKind, type TestDb } from '../src/testing';
import { Inbox, deferred } from './support/deferred';
import { startTcpProxy } from './support/tcp-proxy';

const CHANNEL = 'video_changes';

describe(`listen/notify (${testDbKind()})`, () => {
  let testDb: TestDb;
  let handle: DbHandle;
  let db: Database;
  beforeAll(async () => {
    testDb = await createTestDb();
    handle = testDb.handle;
    db = handle.db;
  });
  afterAll(() => testDb.cleanup());

  it('delivers a notification sent in a committed transaction but not one rolled back', async () => {
    const inbox = new Inbox<string>();
    const unlisten = await handle.listen(CHANNEL, inbox.push);
    await db.transaction(async (tx) => notify(tx, CHANNEL, 'committed'));
    await expect(
      db.transaction(async (tx) => {
        await notify(tx, CHANNEL, 'rolled back');
        throw new Error('abort the transaction');
      }),
    ).rejects.toThrow('abort the transaction');
    // Notifications arrive in commit order, so once this one is here a rolled-back one would have been too.
    await notify(db, CHANNEL, 'marker');
    await inbox.waitFor((payload) => payload === 'marker');
    expect(inbox.items).toEqual(['committed', 'marker']);
    await unlisten();
  });

  it('fans out to every subscriber of a channel and stops after unlisten', async () => {
    const kept = new Inbox<string>();
    const dropped = new Inbox<string>();
    const unlistenKept = await handle.listen(CHANNEL, kept.push);
    const unlistenDropped = await handle.listen(CHANNEL, dropped.push);
    await notify(db, CHANNEL, 'both');
    await Promise.all([kept.waitFor((p) => p === 'both'), dropped.waitFor((p) => p === 'both')]);

    await unlistenDropped();
    await notify(db, CHANNEL, 'kept only');
    await kept.waitFor((p) => p === 'kept only');
    expect(dropped.items).toEqual(['both']);
    await unlistenKept();
  });

  it('rejects channel names the two drivers would treat differently', async () => {
    await expect(handle.listen('Video-Changes', () => undefined)).rejects.toThrow(/Invalid LISTEN\/NOTIFY channel "Video-Changes"/);
    await expect(notify(db, 'Video-Changes', 'x')).rejects.toThrow(/Invalid LISTEN\/NOTIFY channel/);
  });

  // The connection-level behaviour below only exists with a server: PGlite runs in this process.
  if (testDbKind() === 'postgres') {
    it('holds a notification back until its transaction commits', async () => {
      const inbox = new Inbox<string>();
      const unlisten = await handle.listen(CHANNEL, inbox.push);
      const committed = deferred();
      const release = deferred();
      const transaction = db.transaction(async (tx) => {
        await notify(tx, CHANNEL, 'from the transaction');
        committed.resolve();
        await release.promise;
      });
      await committed.promise;
      await notify(db, CHANNEL, 'outside'); // sent and delivered while the transaction is still open
      await inbox.waitFor((p) => p === 'outside');
      expect(inbox.items).toEqual(['outside']);
      release.resolve();
      await transaction;
      await inbox.waitFor((p) => p === 'from the transaction');
      await unlisten();
    });

    it('re-listens after its connection is killed and tells the subscriber to re-read', async () => {
      const inbox = new Inbox<string>();
      const reconnected = deferred();
      const unlisten = await handle.listen(CHANNEL, inbox.push, reconnected.resolve);
      await db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen%'`,
      );
      await reconnected.promise;
      await notify(db, CHANNEL, 'after reconnect');
      await inbox.waitFor((p) => p === 'after reconnect');
      await unlisten();
    });

    it('keeps retrying while the server is unreachable and recovers when it is back', async () => {
      const database = await createTestDatabase();
      const target = new URL(database.url);
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
      const viaProxy = new URL(database.url);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      const retryFailed = deferred();
      const logger: DbLogger = {
        info: () => undefined,
        warn: (_obj, msg) => msg?.startsWith('Re-listening failed') && retryFailed.resolve(),
        error: () => undefined,
      };
      const proxied = await createDb({ databaseUrl: viaProxy.toString(), logger, max: 1, connectTimeoutSeconds: 2 });
      try {
        const inbox = new Inbox<string>();
        const reconnected = deferred();
        await proxied.listen(CHANNEL, inbox.push, reconnected.resolve);
        await proxy.cut();
        await retryFailed.promise; // at least one re-listen attempt hit the dead server
        await proxy.restore();
        await reconnected.promise;
        await notify(proxied.db, CHANNEL, 'server is back');
        await inbox.waitFor((p) => p === 'server is back');
      } finally {
        await proxied.close();
        await proxy.close();
        await database.drop();
      }
    });
  }
});
