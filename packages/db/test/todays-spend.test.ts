import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertGeneration, soraGenerations, videos, type Database } from '../src';
import { attemptsTodayQuery, listAttemptsToday } from '../src/queries/todays-spend';
import { executeRows } from '../src/rows';
import { createTestDb, testDbKind, type TestDb } from '../src/testing';
import { createUser, createVideo } from './support/fixtures';

/** Today's attempts of one user: what the daily spend cap adds up (core decides which count) on every start. */
describe(`today's spending (${testDbKind()})`, () => {
  let testDb: TestDb;
  let db: Database;
  let userId: string;
  let attempts = 0;
  beforeAll(async () => {
    testDb = await createTestDb();
    db = testDb.handle.db;
    userId = await createUser(db);
    const other = await createUser(db);
    const video = await createVideo(db, userId);
    const othersVideo = await createVideo(db, other);
    const attempt = async (
      values: {
        status: 'queued' | 'in_progress' | 'completed' | 'failed';
        progress?: number;
        yesterday?: boolean;
      },
      owner = userId,
      videoId = video.id,
    ) => {
      const row = await insertGeneration(db, {
        videoId,
        userId: owner,
        attempt: ++attempts,
        status: values.status,
        progress: values.progress ?? 0,
        prompt: 'p',
        model: 'sora-2',
        size: '1280x720',
        seconds: 4,
      });
      if (values.yesterday) {
        await db
          .update(soraGenerations)
          .set({ requestedAt: sql`now() - interval '1 day'` })
          .where(eq(soraGenerations.id, row.id));
      }
    };
    await attempt({ status: 'queued' });
    await attempt({ status: 'in_progress' });
    await attempt({ status: 'completed' });
    await attempt({ status: 'failed' });
    await attempt({ status: 'failed', progress: 100 });
    await attempt({ status: 'completed', yesterday: true }); // yesterday
    await attempt({ status: 'completed' }, other, othersVideo.id); // someone else's
    await db.execute(sql`analyze sora_generations`);
  });
  afterAll(() => testDb.cleanup());

  it('lists the attempts of today (UTC) for this user only, grouped by how they ended', async () => {
    const today = await listAttemptsToday(db, userId);
    expect(today).toHaveLength(5);
    expect(today.reduce((sum, group) => sum + group.count, 0)).toBe(5);
    expect(today).toContainEqual(expect.objectContaining({ status: 'failed', progress: 100, errorCode: null, createOutcome: 'pending', count: 1 }));
  });

  it("still counts a deleted video's attempts: deleting cannot make room under the cap", async () => {
    const video = await createVideo(db, userId);
    for (const seconds of [12, 12]) {
      await insertGeneration(db, { videoId: video.id, userId, attempt: ++attempts, status: 'completed', progress: 100, prompt: 'p', model: 'sora-2', size: '720x1280', seconds });
    }
    const before = await listAttemptsToday(db, userId);
    await db.delete(videos).where(eq(videos.id, video.id));
    expect(await listAttemptsToday(db, userId)).toEqual(expect.arrayContaining(before));
    expect((await listAttemptsToday(db, userId)).find((group) => group.seconds === 12)).toMatchObject({ status: 'completed', progress: 100, count: 2 });
  });

  it('counts alike attempts as one group, progress only as whether it reached 100', async () => {
    const video = await createVideo(db, userId);
    for (const progress of [10, 55, 99]) {
      await insertGeneration(db, { videoId: video.id, userId, attempt: ++attempts, status: 'in_progress', progress, prompt: 'p', model: 'sora-2-pro', size: '1024x1792', seconds: 8 });
    }
    const groups = (await listAttemptsToday(db, userId)).filter((group) => group.model === 'sora-2-pro');
    expect(groups).toEqual([expect.objectContaining({ status: 'in_progress', progress: 0, seconds: 8, count: 3 })]);
  });

  it('is served by sora_generations_user_requested_idx', async () => {
    const rows = await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return executeRows<Record<string, string>>(
        tx,
        sql`explain ${attemptsTodayQuery(userId)}`,
      );
    });
    expect(rows.map((row) => Object.values(row).join(' ')).join('\n')).toContain(
      'sora_generations_user_requested_idx',
    );
  });
});
