import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb, endStalledSessions, videos, type DbHandle } from '../src';
import { APPLICATION_NAME } from '../src/open-postgres';
import { executeRows } from '../src/rows';
import { createTestDatabase, testDbKind, type TestDatabase } from '../src/testing';
import { openRawSession, type RawSession } from './support/raw-session';

/*
 * A process paused in the middle of a statement (Parse and Describe sent, Bind and Sync not yet: postgres.js's first
 * use of a statement on a connection) leaves its session `active`, waiting on the client. The idle-in-transaction
 * timeout never ends it, and the row locks of its transaction stay: `SKIP LOCKED` claims pass the generation over for
 * as long as the pause lasts. Seen in the worker fleet test: a worker stopped mid-download kept its videos locked.
 */
describe.runIf(testDbKind() === 'postgres')('a session stalled mid-statement inside a transaction', () => {
  let database: TestDatabase;
  let handle: DbHandle;
  let videoId: string;
  const sessions: RawSession[] = [];

  const claimable = async () =>
    (
      await executeRows<{ id: string }>(
        handle.db,
        sql`select id from videos where id = ${videoId} for update skip locked`,
      )
    ).length === 1;

  /** A session of `applicationName` that locked the video and then stopped after Parse, before Sync. */
  async function stalledSession(applicationName: string, options: { lock: boolean }) {
    const session = await openRawSession(database.url, {
      application_name: applicationName,
      options: '-c idle_in_transaction_session_timeout=300',
    });
    sessions.push(session);
    await session.query(
      options.lock ? `begin; select id from videos where id = '${videoId}' for update` : 'begin',
    );
    await session.parseWithoutSync('update videos set updated_at = now() where id = $1');
    return session;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = await createDb({ databaseUrl: database.url, max: 2 });
    await handle.db.execute(sql`insert into "user" (id, name, email, email_verified, created_at, updated_at)
      values ('u-stalled', 'Stalled', 'stalled@example.com', false, now(), now())`);
    const [video] = await handle.db
      .insert(videos)
      .values({
        userId: 'u-stalled',
        title: 'Locked',
        prompt: 'Locked',
        model: 'sora-2',
        size: '720x1280',
        seconds: 4,
      })
      .returning({ id: videos.id });
    videoId = video!.id;
  });
  afterEach(() => {
    for (const session of sessions.splice(0)) session.end();
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it('outlives the idle-in-transaction timeout; endStalledSessions ends it once it has stalled long enough, and only ours', async () => {
    const ours = await stalledSession(APPLICATION_NAME, { lock: true });
    const someoneElses = await stalledSession('another-app', { lock: false });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(ours.isClosed()).toBe(false); // the server's idle timeout (300 ms) did not end it…
    expect(await claimable()).toBe(false); // …and its lock holds

    expect(await endStalledSessions(handle.db, 60_000)).toEqual([]); // not stalled that long yet
    const ended = await endStalledSessions(handle.db, 500);
    expect(ended).toEqual([
      {
        pid: ours.pid,
        stalledMs: expect.any(Number),
        query: 'update videos set updated_at = now() where id = $1',
      },
    ]);
    expect(ended[0]!.stalledMs).toBeGreaterThanOrEqual(500);
    await ours.closed;
    expect(await claimable()).toBe(true);
    expect(someoneElses.isClosed()).toBe(false); // another application's session is not ours to end
  });

  it('leaves a session that is idle in a transaction to the server, and one mid-statement for less than the threshold', async () => {
    const idle = await openRawSession(database.url, { application_name: APPLICATION_NAME });
    sessions.push(idle);
    await idle.query('begin');
    const fresh = await stalledSession(APPLICATION_NAME, { lock: false });
    expect(await endStalledSessions(handle.db, 5_000)).toEqual([]);
    expect(idle.isClosed()).toBe(false);
    expect(fresh.isClosed()).toBe(false);
  });

  it('a long-running process (endStalledSessions: true) ends them on its own, at the idle timeout', async () => {
    const worker = await createDb({
      databaseUrl: database.url,
      max: 1,
      migrate: false,
      idleInTransactionTimeoutMs: 600,
      endStalledSessions: true,
    });
    try {
      const ours = await stalledSession(APPLICATION_NAME, { lock: true });
      await ours.closed; // the reaper looks every 200 ms (±20%) for sessions stalled 600 ms
      expect(await claimable()).toBe(true);
    } finally {
      await worker.close();
    }
  });
});
