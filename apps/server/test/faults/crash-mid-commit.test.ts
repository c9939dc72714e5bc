import { soraEvents, videos, type Video } from '@sora-monitor/db';
import { asc, eq, sql, type SQL } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { startFleet, waitUntil, type Fleet } from '../worker-fleet';

/** The server's transaction that updated a video row and now waits for a lock on sora_events. */
interface BlockedBackend {
  pid: number;
  query: string;
  holdsVideosRowLock: boolean;
}

// Several processes sharing one database, plus a lock taken by the test: PostgreSQL only.
describe.skipIf(!process.env.TEST_DATABASE_URL)(
  'a server killed in the middle of the state-plus-audit transaction',
  () => {
    let fleet: Fleet | undefined;
    afterAll(() => fleet?.close());

    it('leaves state and audit in agreement: the half-done change is rolled back, and a new server finishes with every transition audited', async () => {
      fleet = await startFleet({ generationMs: 2_000 });
      const { handle } = fleet;
      const [video] = await fleet.insertActive(['A kite over the dunes']);
      const videoId = video!.id;

      // Inserts into the audit table block (plain reads do not), so the server's transaction stops right after it
      // updated the video row, before its audit event is written.
      let release!: () => void;
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holding = handle.db.transaction(async (tx) => {
        await tx.execute(sql`lock table sora_events in exclusive mode`);
        locked();
        await new Promise<void>((resolve) => (release = resolve));
      });
      await isLocked;
      try {
        const victim = await fleet.spawn();
        const blocked = await waitUntil(
          () => blockedBackends(fleet!),
          (backends) => backends.length > 0,
          { timeoutMs: 20_000, intervalMs: 50 },
        );
        expect(blocked[0]!.query).toMatch(/^insert into "sora_events"/i);
        expect(blocked[0]!.holdsVideosRowLock, 'the video row was already updated in that transaction').toBe(
          true,
        );
        const before = await readVideo(fleet, videoId);
        const eventsBefore = await statusEvents(fleet, videoId);

        victim.child.kill('SIGKILL');
        expect((await victim.ended).signal).toBe('SIGKILL');
        release();
        await holding;
        // Its backend notices the dead client once it may go on, and rolls the transaction back.
        await waitUntil(
          () => backendAlive(fleet!, blocked[0]!.pid),
          (alive) => !alive,
          { timeoutMs: 10_000 },
        );

        // All but the lease's end: the dead server's lease heartbeat, sent before the kill and queued behind the row
        // lock, still renews it once the rollback frees the row (the server runs a statement it has already received).
        const withoutLeaseEnd = (row: Video | undefined) => row && { ...row, leaseUntil: null };
        expect(withoutLeaseEnd(await readVideo(fleet, videoId)), 'the update was rolled back').toEqual(withoutLeaseEnd(before));
        expect(await statusEvents(fleet, videoId), 'no event was written').toEqual(eventsBefore);
      } finally {
        release?.();
        await holding.catch(() => undefined);
      }

      // A new server on the same database takes over once the dead one's lease runs out, and finishes the job.
      await fleet.spawn();
      const [done] = await waitUntil(
        () => fleet!.rows([videoId]),
        (rows) => rows[0]?.soraGenerationStatus === 'completed',
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      const events = await statusEvents(fleet, videoId);
      // Every stored status has its audit event: the events chain from the first status to the current one.
      expect(events.at(-1)?.toStatus).toBe(done!.soraGenerationStatus);
      expect(events[0]?.fromStatus).toBe('queued');
      for (let i = 1; i < events.length; i += 1) expect(events[i]!.fromStatus).toBe(events[i - 1]!.toStatus);
      expect(events.filter((event) => event.toStatus === 'completed')).toHaveLength(1);
    }, 90_000);
  },
);

async function blockedBackends(fleet: Fleet): Promise<BlockedBackend[]> {
  const rows = await queryRows<{ pid: number; query: string; holds_videos_row_lock: boolean }>(
    fleet,
    sql`
    select a.pid, a.query, exists (
      select 1 from pg_locks l join pg_class c on c.oid = l.relation
      where l.pid = a.pid and c.relname = 'videos' and l.mode = 'RowExclusiveLock' and l.granted
    ) as holds_videos_row_lock
    from pg_stat_activity a
    where a.datname = current_database() and a.pid <> pg_backend_pid()
      and a.state = 'active' and a.wait_event_type = 'Lock'`,
  );
  return rows.map((row) => ({
    pid: Number(row.pid),
    query: row.query,
    holdsVideosRowLock: row.holds_videos_row_lock,
  }));
}

async function backendAlive(fleet: Fleet, pid: number): Promise<boolean> {
  return (await queryRows(fleet, sql`select 1 from pg_stat_activity where pid = ${pid}`)).length > 0;
}

/** Rows of a raw query; on PostgreSQL (the only database these tests run on) execute() returns the row array. */
async function queryRows<T>(fleet: Fleet, query: SQL): Promise<T[]> {
  return (await fleet.handle.db.execute(query)) as unknown as T[];
}

async function readVideo(fleet: Fleet, videoId: string): Promise<Video | undefined> {
  const [row] = await fleet.handle.db.select().from(videos).where(eq(videos.id, videoId));
  return row;
}

/** The video's status changes, oldest first. */
async function statusEvents(fleet: Fleet, videoId: string) {
  return fleet.handle.db
    .select({ id: soraEvents.id, fromStatus: soraEvents.fromStatus, toStatus: soraEvents.toStatus })
    .from(soraEvents)
    .where(
      sql`${soraEvents.videoId} = ${videoId} and ${soraEvents.fromStatus} is distinct from ${soraEvents.toStatus}`,
    )
    .orderBy(asc(soraEvents.id));
}
