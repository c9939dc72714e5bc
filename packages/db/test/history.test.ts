import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertEvent,
  insertGeneration,
  listEventsForUserSince,
  listEventsForVideo,
  listGenerationsForVideo,
  type Database,
} from '../src';
import postgres from 'postgres';
import { createTestDb, testDatabaseUrl, testDbKind, type TestDb } from '../src/testing';
import { createUser, createVideo, newAttempt } from './support/fixtures';

/**
 * Reads a user's events the way the subscription does: while an event is held back by a transaction still open
 * somewhere on the server (on PostgreSQL, other tests running beside this one), read again shortly. Bounded.
 */
async function visible(read: () => ReturnType<typeof listEventsForUserSince>): ReturnType<typeof listEventsForUserSince> {
  for (let tries = 0; ; tries++) {
    const result = await read();
    if (!result.heldBack || tries >= 400) return result;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe(`generations and events (${testDbKind()})`, () => {
  let testDb: TestDb;
  let db: Database;
  beforeAll(async () => {
    testDb = await createTestDb();
    db = testDb.handle.db;
  });
  afterAll(() => testDb.cleanup());

  it('records attempts, latest first, with unique attempt numbers and job ids', async () => {
    const video = await createVideo(db, await createUser(db));
    const first = await insertGeneration(db, newAttempt(video, 1, { jobId: 'video_abc', cost: 0.4 }));
    expect(first).toMatchObject({ createOutcome: 'pending', progress: 0, cost: 0.4, status: 'queued' });
    await insertGeneration(db, newAttempt(video, 2));
    await insertGeneration(db, newAttempt(video, 3)); // several attempts without a job id are fine

    expect((await listGenerationsForVideo(db, video.id)).map((g) => g.attempt)).toEqual([3, 2, 1]);
    await expect(insertGeneration(db, newAttempt(video, 2))).rejects.toThrow();
    await expect(insertGeneration(db, newAttempt(video, 4, { jobId: 'video_abc' }))).rejects.toThrow();
  });

  it('lists a video’s events newest first, and a user’s events since an id, oldest first', async () => {
    const userId = await createUser(db);
    const video = await createVideo(db, userId);
    const otherVideo = await createVideo(db, userId);
    const stranger = await createVideo(db, await createUser(db));

    const first = await insertEvent(db, {
      videoId: video.id,
      userId,
      actor: 'user',
      type: 'generation.requested',
      toStatus: 'queued',
      data: { attempt: 1 },
    });
    const second = await insertEvent(db, {
      videoId: video.id,
      userId,
      actor: 'poller',
      type: 'generation.progressed',
      fromStatus: 'queued',
      toStatus: 'in_progress',
    });
    const third = await insertEvent(db, { videoId: otherVideo.id, userId, actor: 'webhook', type: 'generation.completed' });
    await insertEvent(db, { videoId: stranger.id, userId: stranger.userId, actor: 'user', type: 'generation.requested' });

    expect(typeof first.id).toBe('number');
    expect(second.id).toBeGreaterThan(first.id);
    expect(first.data).toEqual({ attempt: 1 });
    expect((await listEventsForVideo(db, video.id)).map((e) => e.id)).toEqual([second.id, first.id]);
    expect((await listEventsForVideo(db, video.id, { limit: 1 })).map((e) => e.id)).toEqual([second.id]);

    expect((await visible(() => listEventsForUserSince(db, userId, 0, { limit: 10 }))).events.map((e) => e.id)).toEqual([first.id, second.id, third.id]);
    expect((await visible(() => listEventsForUserSince(db, userId, first.id, { limit: 10 }))).events.map((e) => e.id)).toEqual([second.id, third.id]);
    expect((await visible(() => listEventsForUserSince(db, userId, first.id, { limit: 1 }))).events.map((e) => e.id)).toEqual([second.id]);
    expect(
      (await visible(() => listEventsForUserSince(db, userId, 0, { limit: 10, videoId: otherVideo.id }))).events.map((e) => e.id),
    ).toEqual([third.id]);
    // Another user's video id yields nothing, not their events.
    expect(await visible(() => listEventsForUserSince(db, userId, 0, { limit: 10, videoId: stranger.id }))).toEqual({ events: [], heldBack: false });
  });
  if (testDbKind() === 'postgres') {
    it('holds back an event while an older transaction is open anywhere on the server, and says so', async () => {
      const userId = await createUser(db);
      const video = await createVideo(db, userId);
      // An unrelated write transaction in another database: it holds the server-wide snapshot horizon back.
      const other = postgres(testDatabaseUrl('postgres'), { max: 1, onnotice: () => {} });
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const open = new Promise<void>((resolve) => (started = resolve));
      const blocker = other.begin(async (tx) => {
        await tx`select pg_current_xact_id()`;
        started();
        await released;
      });
      try {
        await open;
        const event = await insertEvent(db, { videoId: video.id, userId, actor: 'system', type: 'status_changed' });
        expect(await listEventsForUserSince(db, userId, 0, { limit: 10 })).toEqual({ events: [], heldBack: true });
        release();
        await blocker;
        expect((await visible(() => listEventsForUserSince(db, userId, 0, { limit: 10 }))).events.map((e) => e.id)).toEqual([event.id]);
      } finally {
        release();
        await other.end();
      }
    });
  }
});
