import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidCursorError,
  dbNow,
  deleteVideoForUser,
  getVideoForUser,
  insertEvent,
  insertGeneration,
  listVideosForUser,
  soraEvents,
  soraGenerations,
  user,
  type Database,
} from '../src';
import { createTestDb, testDbKind, type TestDb } from '../src/testing';
import { createUser, createVideo, newAttempt } from './support/fixtures';

describe(`video queries (${testDbKind()})`, () => {
  let testDb: TestDb;
  let db: Database;
  beforeAll(async () => {
    testDb = await createTestDb();
    db = testDb.handle.db;
  });
  afterAll(() => testDb.cleanup());

  it('inserts a video with the agreed defaults', async () => {
    const userId = await createUser(db);
    const video = await createVideo(db, userId, { soraGenerationCost: 1.25, blobSize: 5_000_000_000 });
    expect(video).toMatchObject({
      userId,
      soraGenerationStatus: 'not_started',
      soraProgress: 0,
      pollFailures: 0,
      currentGenerationId: null,
      soraGenerationCost: 1.25,
      blobSize: 5_000_000_000,
    });
    expect(video.createdAt).toBeInstanceOf(Date);
  });

  it('answers another user, and a malformed id, exactly like a missing video', async () => {
    const owner = await createUser(db);
    const stranger = await createUser(db);
    const video = await createVideo(db, owner);

    expect((await getVideoForUser(db, owner, video.id))?.id).toBe(video.id);
    expect(await getVideoForUser(db, stranger, video.id)).toBeNull();
    expect(await getVideoForUser(db, owner, randomUUID())).toBeNull();
    expect(await getVideoForUser(db, owner, 'not-a-uuid')).toBeNull();

    expect(await deleteVideoForUser(db, stranger, video.id)).toBeNull();
    expect(await getVideoForUser(db, owner, video.id)).not.toBeNull();
  });

  it('deletes a video with its generations and events', async () => {
    const userId = await createUser(db);
    const video = await createVideo(db, userId);
    const generation = await insertGeneration(db, newAttempt(video));
    await insertEvent(db, { videoId: video.id, generationId: generation.id, userId, actor: 'user', type: 'generation.requested' });

    const deleted = await deleteVideoForUser(db, userId, video.id);
    expect(deleted?.id).toBe(video.id);
    expect(await getVideoForUser(db, userId, video.id)).toBeNull();
    expect(await db.select().from(soraGenerations).where(eq(soraGenerations.videoId, video.id))).toEqual([]);
    expect(await db.select().from(soraEvents).where(eq(soraEvents.videoId, video.id))).toEqual([]);
  });

  it('deletes a user’s videos with the user', async () => {
    const userId = await createUser(db);
    const video = await createVideo(db, userId);
    await db.delete(user).where(eq(user.id, userId));
    expect(await getVideoForUser(db, userId, video.id)).toBeNull();
  });

  it('pages newest first without losing or repeating a video, even within one millisecond', async () => {
    const userId = await createUser(db);
    const other = await createUser(db);
    await createVideo(db, other);
    // Ties on created_at are broken by id; microseconds that a JS Date cannot hold must still order correctly
    // (a cursor rounded to milliseconds would skip the .000400 and .000900 rows after a page ending at .000000).
    const micros = ['000000', '000000', '000000', '000400', '000900', '001000', '001000', '001001', '002700', '999999'];
    const ids: string[] = [];
    for (const fraction of micros) {
      const createdAt = sql`${`2026-01-01T00:00:00.${fraction}Z`}::timestamptz`;
      // drizzle types createdAt as a Date, but any SQL value is accepted at runtime.
      ids.push((await createVideo(db, userId, { createdAt: createdAt as unknown as Date })).id);
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listVideosForUser(db, userId, { limit: 3, cursor });
      seen.push(...page.items.map((video) => video.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);

    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(ids.length);
    expect([...seen].sort()).toEqual([...ids].sort());
    const all = await listVideosForUser(db, userId, { limit: 100 });
    expect(all.items.map((video) => video.id)).toEqual(seen);
    expect(all.nextCursor).toBeNull();
    const times = all.items.map((video) => video.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('filters by status and rejects a cursor it did not produce', async () => {
    const userId = await createUser(db);
    await createVideo(db, userId, { soraGenerationStatus: 'queued' });
    await createVideo(db, userId, { soraGenerationStatus: 'completed' });
    await createVideo(db, userId);

    const queued = await listVideosForUser(db, userId, { limit: 10, status: 'queued' });
    expect(queued.items.map((video) => video.soraGenerationStatus)).toEqual(['queued']);
    const finished = await listVideosForUser(db, userId, { limit: 10, status: ['completed', 'failed'] });
    expect(finished.items.map((video) => video.soraGenerationStatus)).toEqual(['completed']);

    await expect(listVideosForUser(db, userId, { limit: 10, cursor: 'garbage' })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('reads the database clock', async () => {
    const now = await dbNow(db);
    const [row] = await db.insert(user).values({ id: randomUUID(), name: 'clock', email: `${randomUUID()}@x.test` }).returning();
    expect(Math.abs(now.getTime() - (row?.createdAt.getTime() ?? 0))).toBeLessThan(60_000);
    const inTransaction = await db.transaction(async (tx) => [await dbNow(tx), await dbNow(tx)]);
    expect(inTransaction[0]?.getTime()).toBe(inTransaction[1]?.getTime());
  });
});
