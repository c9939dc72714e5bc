import { asc, lte, sql, type SQLWrapper } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isActiveGeneration, videos, type Database } from '../src';
import { listVideosForUser, videosPageQuery } from '../src/queries/list-videos-for-user';
import { usageDaysQuery, usageReadyDaysQuery } from '../src/queries/usage-rollups';
import { executeRows } from '../src/rows';
import { createTestDb, testDbKind, type TestDb } from '../src/testing';
import { createUser, createVideo } from './support/fixtures';

/**
 * The plans of the two hot queries. With sequential scans disabled the planner must find an index that serves the
 * query; the assertions check it is the intended one and that no separate sort is needed. PGlite is the same
 * PostgreSQL planner, so this runs on both.
 */
async function plan(db: Database, query: SQLWrapper): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    const rows = await executeRows<Record<string, string>>(tx, sql`explain ${query}`);
    return rows.map((row) => Object.values(row).join(' ')).join('\n');
  });
}

describe(`index use (${testDbKind()})`, () => {
  let testDb: TestDb;
  let db: Database;
  let userId: string;
  beforeAll(async () => {
    testDb = await createTestDb();
    db = testDb.handle.db;
    userId = await createUser(db);
    for (const status of ['queued', 'in_progress', 'completed', 'failed', 'not_started'] as const) {
      await createVideo(db, userId, { soraGenerationStatus: status, nextPollAt: new Date() });
    }
    await db.execute(sql`analyze videos`);
  });
  afterAll(() => testDb.cleanup());

  it('serves "my videos, newest first" from videos_user_created_idx, cursor included', async () => {
    const firstPage = await plan(db, videosPageQuery(db, userId, { limit: 20 }));
    expect(firstPage).toContain('videos_user_created_idx');
    expect(firstPage).not.toMatch(/\bSort\b/);

    const cursor = Buffer.from(`2026-01-01T00:00:00.000000Z|${crypto.randomUUID()}`).toString('base64url');
    const nextPage = await plan(db, videosPageQuery(db, userId, { limit: 20, cursor }));
    expect(nextPage).toContain('videos_user_created_idx');
    expect(nextPage).toMatch(/Index Cond: .*ROW\(created_at, id\) < ROW/); // the cursor seeks, it does not filter
    expect(nextPage).not.toMatch(/\bSort\b/);
  });

  it('serves the other sorts from their own index, both directions, cursor included', async () => {
    const indexes = { updated: 'videos_user_updated_idx', cost: 'videos_user_cost_idx', duration: 'videos_user_seconds_idx' } as const;
    for (const [sort, index] of Object.entries(indexes) as [keyof typeof indexes, string][]) {
      for (const order of ['desc', 'asc'] as const) {
        const first = await listVideosForUser(db, userId, { limit: 2, sort, order });
        expect(first.nextCursor).not.toBeNull();
        for (const cursor of [null, first.nextCursor]) {
          const pagePlan = await plan(db, videosPageQuery(db, userId, { limit: 2, sort, order, cursor }));
          expect(pagePlan, `${sort} ${order}`).toContain(index);
          expect(pagePlan, `${sort} ${order}`).not.toMatch(/\bSort\b/);
        }
      }
    }
  });

  it('serves "active generations due for a poll" from the partial index', async () => {
    const due = db
      .select({ id: videos.id })
      .from(videos)
      .where(sql`${isActiveGeneration()} and ${lte(videos.nextPollAt, sql`now()`)}`)
      .orderBy(asc(videos.nextPollAt))
      .limit(50);
    const duePlan = await plan(db, due);
    expect(duePlan).toContain('videos_active_next_poll_idx');
    expect(duePlan).not.toMatch(/\bSort\b/);
  });

  it("serves the usage page's reads from the rollups' primary keys (user, zone, then day)", async () => {
    const range = { userId, timeZone: 'Asia/Kolkata', sinceDay: '2026-01-01' };
    expect(await plan(db, usageDaysQuery(range))).toContain('usage_days_pk');
    expect(await plan(db, usageReadyDaysQuery(range))).toContain('usage_ready_days_pk');
  });
});
