import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertGeneration, soraEvents, soraGenerations, user, videos, type Database } from '../src';
import {
  ensureUsageTimeZone,
  listUsageDays,
  listUsageReadyBuckets,
  MAX_USAGE_TIME_ZONES,
} from '../src/queries';
import { executeRows } from '../src/rows';
import { createTestDb, directUsageDays, seedAttemptHistory, testDbKind, type TestDb } from '../src/testing';
import { createUser, createVideo, newAttempt } from './support/fixtures';

const FAR_PAST = '2000-01-01';

/** The rollups of one zone, as sorted lines, beside the same figures read from the attempts themselves. */
async function compare(db: Database, userId: string, timeZone: string) {
  const line = (row: object) => JSON.stringify(row);
  const rolled = (await listUsageDays(db, { userId, timeZone, sinceDay: FAR_PAST })).map(line).sort();
  const direct = (await directUsageDays(db, { userId, timeZone, since: new Date(FAR_PAST) }))
    .map(line)
    .sort();
  const buckets = await listUsageReadyBuckets(db, { userId, timeZone, sinceDay: FAR_PAST });
  const readyRolled: Record<string, { count: number; sumMs: number }> = {};
  for (const bucket of buckets) {
    const group = (readyRolled[`${bucket.model} ${bucket.size}`] ??= { count: 0, sumMs: 0 });
    group.count += bucket.count;
    group.sumMs += bucket.sumMs;
  }
  // The oracle reads the completion events, not the trigger-kept ready_at.
  const readyDirect = await executeRows<{ key: string; count: number | string; sumMs: number | string }>(
    db,
    sql`select model || ' ' || size as "key", count(*) as "count", sum(round(ms)) as "sumMs" from (
          select g.model, g.size, extract(epoch from ((select min(e.created_at) from sora_events e
                   where e.generation_id = g.id and e.to_status = 'completed') - g.requested_at))::float8 * 1000 as ms
          from sora_generations g where g.user_id = ${userId} and g.status = 'completed') t
        where ms is not null group by 1`,
  );
  return {
    rolled,
    direct,
    readyRolled,
    readyDirect: Object.fromEntries(
      readyDirect.map((row) => [row.key, { count: Number(row.count), sumMs: Number(row.sumMs) }]),
    ),
  };
}

async function expectRollupsTrue(db: Database, userId: string, timeZone: string) {
  const seen = await compare(db, userId, timeZone);
  expect(seen.rolled).toEqual(seen.direct);
  expect(seen.readyRolled).toEqual(seen.readyDirect);
  return seen;
}

/** The usage rollups (migration 0011): always what a grouped read of the attempts would say. */
describe(`usage rollups (${testDbKind()})`, () => {
  let testDb: TestDb;
  let db: Database;
  beforeAll(async () => {
    testDb = await createTestDb();
    db = testDb.handle.db;
  });
  afterAll(() => testDb?.cleanup());

  it('fills a zone from history the first time, then follows every insert, change, completion and delete', async () => {
    const userId = await createUser(db);
    await seedAttemptHistory(db, {
      userId,
      timeZone: 'Asia/Kolkata',
      attempts: [
        {
          requested: { daysAgo: 3, localTime: '23:50' },
          model: 'sora-2',
          size: '720x1280',
          seconds: 4,
          status: 'completed',
          readySeconds: 100,
        },
        {
          requested: { daysAgo: 3, localTime: '00:10' },
          model: 'sora-2',
          size: '720x1280',
          seconds: 8,
          status: 'completed',
          readySeconds: 100,
        },
        {
          requested: { daysAgo: 1, localTime: '12:00' },
          model: 'sora-2-pro',
          size: '1024x1792',
          seconds: 4,
          status: 'failed',
          errorCode: 'moderation_blocked',
        },
        {
          requested: { daysAgo: 1, localTime: '12:05' },
          model: 'sora-2',
          size: '720x1280',
          seconds: 4,
          status: 'failed',
          errorCode: 'http_429',
        },
        {
          requested: { now: true },
          model: 'sora-2',
          size: '720x1280',
          seconds: 4,
          status: 'in_progress',
          progress: 40,
        },
      ],
    });
    expect(await ensureUsageTimeZone(db, userId, 'Asia/Kolkata')).toBe(true);
    expect(await ensureUsageTimeZone(db, userId, 'asia/kolkata')).toBe(false);
    const filled = await expectRollupsTrue(db, userId, 'Asia/Kolkata');
    expect(filled.rolled).toHaveLength(5);
    expect(filled.readyRolled).toEqual({ 'sora-2 720x1280': { count: 2, sumMs: 200_000 } });

    // A new attempt runs, crosses 100 %, completes with its event, and another fails.
    const video = await createVideo(db, userId);
    const running = await insertGeneration(db, newAttempt(video, 1, { size: '720x1280', seconds: 12 }));
    await db
      .update(soraGenerations)
      .set({ status: 'in_progress', progress: 60 })
      .where(eq(soraGenerations.id, running.id));
    await expectRollupsTrue(db, userId, 'Asia/Kolkata');
    await db.update(soraGenerations).set({ progress: 100 }).where(eq(soraGenerations.id, running.id));
    await db.update(soraGenerations).set({ status: 'completed' }).where(eq(soraGenerations.id, running.id));
    await db.insert(soraEvents).values({
      videoId: video.id,
      generationId: running.id,
      userId,
      actor: 'poller',
      type: 'status_changed',
      fromStatus: 'in_progress',
      toStatus: 'completed',
      createdAt: sql`(select requested_at from sora_generations where id = ${running.id}) + interval '42.5 seconds'`,
    });
    const retried = await insertGeneration(db, newAttempt(video, 2, { model: 'sora-2-pro', size: '720x1280', seconds: 4 }));
    await db
      .update(soraGenerations)
      .set({ status: 'failed', errorCode: 'reset' })
      .where(eq(soraGenerations.id, retried.id));
    const changed = await expectRollupsTrue(db, userId, 'Asia/Kolkata');
    expect(changed.readyRolled['sora-2 720x1280']).toEqual({ count: 3, sumMs: 242_500 });

    // A second zone filled now agrees too, and deleting a video (its attempts cascade) leaves both true.
    await ensureUsageTimeZone(db, userId, 'America/Los_Angeles');
    await expectRollupsTrue(db, userId, 'America/Los_Angeles');
    const total = async (zone: string) =>
      (await listUsageDays(db, { userId, timeZone: zone, sinceDay: FAR_PAST })).reduce((sum, row) => sum + row.count, 0);
    expect(await total('Asia/Kolkata')).toBe(7);
    await db.delete(videos).where(eq(videos.id, video.id));
    await expectRollupsTrue(db, userId, 'Asia/Kolkata');
    const afterDelete = await expectRollupsTrue(db, userId, 'America/Los_Angeles');
    // The deleted video's two attempts still count (the money was spent); its ready time leaves the histogram.
    expect(await total('Asia/Kolkata')).toBe(7);
    expect(await total('America/Los_Angeles')).toBe(7);
    expect(afterDelete.readyRolled['sora-2 720x1280']).toEqual({ count: 2, sumMs: 200_000 });
    // A zone filled after the delete counts them too.
    await ensureUsageTimeZone(db, userId, 'Pacific/Chatham');
    await expectRollupsTrue(db, userId, 'Pacific/Chatham');
    expect(await total('Pacific/Chatham')).toBe(7);
  });

  it(`keeps ${MAX_USAGE_TIME_ZONES} zones per user, dropping the one used longest ago with its rows`, async () => {
    const userId = await createUser(db);
    await seedAttemptHistory(db, {
      userId,
      timeZone: 'UTC',
      attempts: [
        {
          requested: { now: true },
          model: 'sora-2',
          size: '720x1280',
          seconds: 4,
          status: 'completed',
          readySeconds: 30,
        },
      ],
    });
    const zones = ['UTC', 'Europe/Berlin', 'Asia/Tokyo', 'America/New_York', 'Australia/Sydney'];
    for (const [index, zone] of zones.entries()) {
      await ensureUsageTimeZone(db, userId, zone);
      // Registration order stands in for use: the earlier a zone, the longer ago it was used.
      await db.execute(sql`update usage_time_zones set last_used_at = now() - make_interval(hours => ${zones.length - index})
                           where user_id = ${userId} and time_zone = ${zone.toLowerCase()}`);
    }
    const kept = await executeRows<{ zone: string }>(
      db,
      sql`select distinct time_zone as "zone" from usage_days where user_id = ${userId} order by 1`,
    );
    expect(kept.map((row) => row.zone)).toEqual([
      'america/new_york',
      'asia/tokyo',
      'australia/sydney',
      'europe/berlin',
    ]);
    // Asked again, the dropped zone is filled again, correctly.
    expect(await ensureUsageTimeZone(db, userId, 'UTC')).toBe(true);
    await expectRollupsTrue(db, userId, 'UTC');
  });

  it('goes with its user: deleting the user leaves no rollup behind', async () => {
    const userId = await createUser(db);
    await seedAttemptHistory(db, {
      userId,
      timeZone: 'UTC',
      attempts: [
        {
          requested: { now: true },
          model: 'sora-2',
          size: '720x1280',
          seconds: 4,
          status: 'completed',
          readySeconds: 30,
        },
      ],
    });
    await ensureUsageTimeZone(db, userId, 'UTC');
    await db.delete(user).where(eq(user.id, userId));
    const left = await executeRows<{ n: number | string }>(
      db,
      sql`select (select count(*) from usage_days where user_id = ${userId}) + (select count(*) from usage_ready_days where user_id = ${userId})
               + (select count(*) from usage_time_zones where user_id = ${userId})
               + (select count(*) from deleted_attempts where user_id = ${userId}) as "n"`,
    );
    expect(Number(left[0]!.n)).toBe(0);
  });

  it('counts every attempt written while a zone is being filled exactly once', async () => {
    const userId = await createUser(db);
    const video = await createVideo(db, userId);
    let attempt = 0;
    const writeOne = async () => {
      const row = await insertGeneration(db, {
        videoId: video.id,
        userId,
        attempt: ++attempt,
        status: 'queued',
        prompt: 'p',
        model: 'sora-2',
        size: '720x1280',
        seconds: 4,
      });
      await db
        .update(soraGenerations)
        .set({ status: 'failed', errorCode: 'server_error' })
        .where(eq(soraGenerations.id, row.id));
    };
    for (let i = 0; i < 20; i++) await writeOne();
    // Writers and the fill race (on PostgreSQL each on its own connection; PGlite runs them one after another).
    await Promise.all([
      ...Array.from({ length: 30 }, () => writeOne()),
      ensureUsageTimeZone(db, userId, 'Europe/Paris'),
      ...Array.from({ length: 30 }, () => writeOne()),
    ]);
    const seen = await expectRollupsTrue(db, userId, 'Europe/Paris');
    const total = (await listUsageDays(db, { userId, timeZone: 'Europe/Paris', sinceDay: FAR_PAST })).reduce(
      (sum, row) => sum + row.count,
      0,
    );
    expect(total).toBe(80);
    expect(seen.rolled.length).toBeGreaterThan(0);
  });
});
