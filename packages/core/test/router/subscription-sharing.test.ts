import { createDb } from '@sora-monitor/db';
import { commitNoteChange, testDbKind } from '@sora-monitor/db/testing';
import { sql } from 'drizzle-orm';
import { isTrackedEnvelope } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createChangeReader } from '../../src/events/read-changes';
import { startHarness, type Harness } from './harness';

/*
 * One change watched by many open streams of one user costs one events read in this process, not one per stream:
 * the streams at the same cursor share it (createChangeReader). Counted on the services' own database handle.
 */

let h: Harness;
const statements: string[] = [];

beforeAll(async () => {
  h = await startHarness({ onQuery: (sql) => statements.push(sql) });
});
afterAll(() => h?.close());

const eventReads = (sent: string[]) => sent.filter((sql) => /^select .* from "sora_events"/is.test(sql)).length;

describe('sora.onUpdate sharing', () => {
  it('delivers one change to 20 streams of one user with one shared events read per round', async () => {
    const ada = await h.signUp('ada');
    const video = await ada.caller.videos.create({ prompt: 'Watched in twenty tabs' });
    // One signal per stream, as twenty tabs' requests would have (twenty streams on one signal would be twenty listeners
    // on it at once, which Node warns about).
    const streams = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const controller = new AbortController();
        onTestFinished(() => controller.abort());
        return (await h.callerFor(ada, { signal: controller.signal }).sora.onUpdate({ videoId: video.id }))[Symbol.asyncIterator]();
      }),
    );
    // Each gets the current state first; then all wait for the next change.
    await Promise.all(streams.map((stream) => stream.next()));
    const nextUpdates = streams.map((stream) => stream.next());
    // Let every stream read its (empty) backlog and settle into waiting.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const from = statements.length;
    const committedAt = Date.now();
    const committed = await commitNoteChange(h.db.db, { videoId: video.id, userId: ada.id, title: 'Seen by every tab', message: 'one change' });
    const delivered = await Promise.all(nextUpdates);
    const elapsedMs = Date.now() - committedAt;
    for (const result of delivered) {
      expect(result.done).toBe(false);
      expect(isTrackedEnvelope(result.value)).toBe(true);
      const [id, data] = result.value as unknown as [string, { video: { title: string } }];
      expect(id).toBe(String(committed!.eventIds[0]));
      expect(data.video.title).toBe('Seen by every tab');
    }
    // Built once for all of them: the very same message object (the SSE writer then serializes it once).
    expect(new Set(delivered.map((result) => (result.value as unknown as [string, object])[1])).size).toBe(1);
    // One read rings all 20 at once. On PostgreSQL a page can be held back by any open transaction on the server (other
    // test files included); then the hub rings everyone again every 250 ms, still one shared read per round, so the
    // bound is rounds, not streams (unshared, each round would cost 20 reads).
    const rounds = 1 + Math.ceil(elapsedMs / 250);
    const reads = eventReads(statements.slice(from));
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(Math.min(rounds, 19));
    for (const stream of streams) await stream.return?.();
  });

  it.runIf(testDbKind() === 'postgres')(
    'delivers a change held back by an older open transaction once that transaction ends (no hint is sent for it)',
    async () => {
      const ada = await h.signUp('ada');
      const video = await ada.caller.videos.create({ prompt: 'Held back' });
      const controller = new AbortController();
      onTestFinished(() => controller.abort());
      const stream = (await h.callerFor(ada, { signal: controller.signal }).sora.onUpdate({ videoId: video.id }))[Symbol.asyncIterator]();
      await stream.next(); // the current state
      const next = stream.next();

      const other = await createDb({ databaseUrl: h.databaseUrl!, max: 1, migrate: false });
      onTestFinished(() => other.close());
      let delivered = false;
      void next.then(() => (delivered = true));
      await other.db.transaction(async (tx) => {
        // An older transaction with an id: every event committed after it is held back until it ends.
        await tx.execute(sql`select txid_current()`);
        await commitNoteChange(h.db.db, { videoId: video.id, userId: ada.id, title: 'Waited for an older transaction', message: 'held back' });
        await new Promise((resolve) => setTimeout(resolve, 700));
        expect(delivered).toBe(false);
      });
      const result = await next;
      const [, data] = result.value as unknown as [string, { video: { title: string } }];
      expect(data.video.title).toBe('Waited for an older transaction');
      await stream.return?.();
    },
  );

  it('shares a read only among callers woken by the same ring (a later ring gets a read of its own)', async () => {
    const ada = await h.signUp('ada');
    const video = await ada.caller.videos.create({ prompt: 'Read twice' });
    const read = createChangeReader(h.db.db, 100);
    const from = statements.length;
    // Same cursor, same ring: one read. Same cursor, a later ring: the change it announces may be newer than the read
    // in flight, so it reads again.
    const [a, b] = await Promise.all([read(ada.id, 0, video.id, 1), read(ada.id, 0, video.id, 1)]);
    expect(a).toBe(b);
    expect(eventReads(statements.slice(from))).toBe(1);
    await Promise.all([read(ada.id, 0, video.id, 1), read(ada.id, 0, video.id, 2)]);
    expect(eventReads(statements.slice(from))).toBe(3);
  });
});
