import { soraEvents, videos, type Video } from '@sora-monitor/db';
import { asc, eq, sql, type SQL } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { startFleet, waitUntil, type Fleet } from '../worker-fleet';

/** The server's change (one statement) that updated a video row and now waits for a lock on sora_events. */
interface BlockedBackend {
  pid: number;
  query: string;
  holdsVideosRowLock: boolean;
  waitsForEventsTable: boolean;
}

// Several processes sharing one database, plus a lock taken by the test: PostgreSQL only.
describe.skipIf(!process.env.TEST_DATABASE_URL)(
  'a server killed in the middle of the state-plus-audit write',
  () => {
    let fleet: Fleet | undefined;
    afterAll(() => fleet?.close());

    it('leaves state and audit in agreement: the cut-off change is written whole or not at all, and a new server finishes with every transition audited', async () => {
      fleet = await startFleet({ generationMs: 2_000 });
      const { handle } = fleet;
      const [video] = await fleet.insertActive(['A kite over the dunes']);
      const videoId = video!.id;

      // Inserts into the audit table block (plain reads do not), so the server's change, one statement, stops right
      // after it updated the video row, before its audit event is written.
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
        expect(blocked[0]!.query).toMatch(/^with "updated" as \(update "videos"/i);
        expect(blocked[0]!.waitsForEventsTable, 'it waits to insert its audit events').toBe(true);
        expect(blocked[0]!.holdsVideosRowLock, 'the video row was already updated in that transaction').toBe(
          true,
        );
        const before = await readVideo(fleet, videoId);
        const eventsBefore = await eventIds(fleet, videoId);

        victim.child.kill('SIGKILL');
        expect((await victim.ended).signal).toBe('SIGKILL');
        release();
        await holding;
        // Its backend finishes or rolls back the statement it has received once it may go on, and ends with the
        // dead client (PostgreSQL has rolled it back here each time; committing it whole would be as right).
        await waitUntil(
          () => backendAlive(fleet!, blocked[0]!.pid),
          (alive) => !alive,
          { timeoutMs: 10_000 },
        );

        // All but the lease's end: the dead server's lease heartbeat, sent before the kill and queued behind the row
        // lock, still renews it once the row is free (the server runs a statement it has already received).
        const withoutLeaseEnd = (row: Video | undefined) => row && { ...row, leaseUntil: null };
        const rowChanged =
          JSON.stringify(withoutLeaseEnd(await readVideo(fleet, videoId))) !==
          JSON.stringify(withoutLeaseEnd(before));
        const eventsAfter = await eventIds(fleet, videoId);
        expect(
          eventsAfter.length > eventsBefore.length,
          'the row and its audit events were written together or not at all',
        ).toBe(rowChanged);
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
  const rows = await queryRows<{
    pid: number;
    query: string;
    holds_videos_row_lock: boolean;
    waits_for_events_table: boolean;
  }>(
    fleet,
    sql`
    select a.pid, a.query, exists (
      select 1 from pg_locks l join pg_class c on c.oid = l.relation
      where l.pid = a.pid and c.relname = 'videos' and l.mode = 'RowExclusiveLock' and l.granted
    ) as holds_videos_row_lock, exists (
      select 1 from pg_locks l join pg_class c on c.oid = l.relation
      where l.pid = a.pid and c.relname = 'sora_events' and not l.granted
    ) as waits_for_events_table
    from pg_stat_activity a
    where a.datname = current_database() and a.pid <> pg_backend_pid()
      and a.state = 'active' and a.wait_event_type = 'Lock'`,
  );
  return rows.map((row) => ({
    pid: Number(row.pid),
    query: row.query,
    holdsVideosRowLock: row.holds_videos_row_lock,
    waitsForEventsTable: row.waits_for_events_table,
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

/** The ids of all the video's audit events, oldest first. */
async function eventIds(fleet: Fleet, videoId: string): Promise<number[]> {
  const rows = await fleet.handle.db
    .select({ id: soraEvents.id })
    .from(soraEvents)
    .where(eq(soraEvents.videoId, videoId))
    .orderBy(asc(soraEvents.id));
  return rows.map((row) => row.id);
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
