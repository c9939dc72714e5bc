import { randomUUID } from 'node:crypto';
import {
  insertGeneration,
  insertVideo,
  soraEvents,
  videos,
  type Database,
  type DbHandle,
} from '@sora-monitor/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKind } from '@sora-monitor/db/testing';
import { sweepStuckGenerations } from '../../src/worker';
import { startWorkerHarness, type WorkerHarness } from './harness';

const FIFTEEN_MINUTES = 15 * 60_000;
const RETRY_BASE_MS = 60_000;

let h: WorkerHarness;
/** Three sweepers; on PostgreSQL each has its own connection pool, as three server instances would. */
let sweepers: Database[];

beforeAll(async () => {
  h = await startWorkerHarness({
    settings: { stuckTimeoutMs: FIFTEEN_MINUTES, maxAttempts: 3, retryBaseMs: RETRY_BASE_MS },
  });
  const extra: DbHandle[] = h.databaseUrl ? [await h.connect(), await h.connect()] : [h.handle, h.handle];
  sweepers = [h.db, ...extra.map((handle) => handle.db)];
});
afterAll(() => h?.close());

/** An active generation (its age is set by `age()` right before a sweep, so slow set-up cannot shift it). */
async function activeGeneration(userId: string, { status = 'in_progress', attempt = 1 } = {}) {
  const video = await insertVideo(h.db, {
    userId,
    title: 'stuck?',
    prompt: 'stuck?',
    model: 'sora-2',
    size: '720x1280',
    seconds: 4,
  });
  const jobId = `video_${randomUUID().replaceAll('-', '')}`;
  const generation = await insertGeneration(h.db, {
    videoId: video.id,
    userId,
    attempt,
    jobId,
    status: status as 'in_progress',
    createOutcome: 'confirmed',
    prompt: video.prompt,
    model: video.model,
    size: video.size,
    seconds: video.seconds,
  });
  await h.db
    .update(videos)
    .set({
      currentGenerationId: generation.id,
      soraJobId: jobId,
      soraGenerationStatus: status as 'in_progress',
      soraProgress: 40,
      soraStartedAt: sql`now() - interval '20 minutes'`,
      progressChangedAt: sql`now()`,
      nextPollAt: sql`now() + interval '1 hour'`,
    })
    .where(eq(videos.id, video.id));
  return video.id;
}

/** Sets how long ago progress last moved, by the DATABASE clock (a PostgreSQL interval). */
async function age(ids: string[], interval: string) {
  await h.db
    .update(videos)
    .set({ progressChangedAt: sql`now() - ${interval}::interval` })
    .where(inArray(videos.id, ids));
}

/** Three sweeps at once; the ids among `ids` each one failed (rows of other tests age too and are ignored). */
async function sweepAll(ids: string[]): Promise<Array<{ videoId: string; autoRetryAt: Date | null }>> {
  const results = await Promise.all(sweepers.map((db) => sweepStuckGenerations({ ...h.deps, db })));
  return results.flat().filter((failure) => ids.includes(failure.videoId));
}

describe('the stuck sweep', () => {
  it('fails only what has had no progress for 15 minutes by the database clock, once, with one audit event', async () => {
    const userId = await h.createUser();
    const justUnder = await activeGeneration(userId);
    const justOver = await activeGeneration(userId);
    const queuedOver = await activeGeneration(userId, { status: 'queued' });
    const ids = [justUnder, justOver, queuedOver];
    await age([justUnder], '14 minutes 59 seconds');
    await age([justOver, queuedOver], '15 minutes 1 second');

    const failedIds = (await sweepAll(ids)).map((failure) => failure.videoId);
    expect(failedIds.sort()).toEqual([justOver, queuedOver].sort());
    // Each failed by exactly one of the three sweepers.
    expect(new Set(failedIds).size).toBe(failedIds.length);

    const under = await h.video(justUnder);
    expect(under.soraGenerationStatus).toBe('in_progress');
    expect(await h.events(justUnder)).toEqual([]);

    for (const id of [justOver, queuedOver]) {
      const row = await h.video(id);
      expect(row.soraGenerationStatus).toBe('failed');
      expect(row.soraErrorCode).toBe('stuck_timeout');
      expect(row.soraErrorMessage).toMatch(/15 minutes/);
      expect(row.soraErrorMessage).toMatch(/retry/i);
      expect(row.nextPollAt).toBeNull();
      expect(row.leaseOwner).toBeNull();
      const events = await h.events(id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actor: 'sweeper', type: 'status_changed', toStatus: 'failed' });
      expect(events[0]!.message).toMatch(/15 minutes/);
      const [generation] = await h.generations(id);
      expect(generation).toMatchObject({ status: 'failed', errorCode: 'stuck_timeout' });
      // Transient by nature: an automatic new attempt is planned (attempt 1 of 3), as a transient upstream failure
      // would be: base..2*base later (the failure and the plan are one statement, so updatedAt is its clock).
      const delay = row.autoRetryAt!.getTime() - row.updatedAt.getTime();
      expect(delay).toBeGreaterThanOrEqual(RETRY_BASE_MS);
      expect(delay).toBeLessThanOrEqual(2 * RETRY_BASE_MS);
    }
    expect((await h.video(queuedOver)).soraErrorMessage).toBe((await h.video(justOver)).soraErrorMessage);

    // Sweeping again changes nothing.
    await age([justUnder], '14 minutes 59 seconds');
    expect(await sweepAll(ids)).toEqual([]);
    expect(await h.events(justOver)).toHaveLength(1);
  });

  it('fails each of many stuck generations exactly once with three sweepers racing', async () => {
    const userId = await h.createUser();
    const over = await Promise.all(Array.from({ length: 30 }, () => activeGeneration(userId)));
    const under = await Promise.all(Array.from({ length: 10 }, () => activeGeneration(userId)));
    await age(over, '15 minutes 1 second');
    await age(under, '14 minutes 59 seconds');

    const failedIds = (await sweepAll([...over, ...under])).map((failure) => failure.videoId);
    expect(failedIds.sort()).toEqual([...over].sort());

    const events = await h.db
      .select({ videoId: soraEvents.videoId })
      .from(soraEvents)
      .where(and(inArray(soraEvents.videoId, [...over, ...under]), eq(soraEvents.actor, 'sweeper')));
    expect(events.map((event) => event.videoId).sort()).toEqual([...over].sort());
    const stillActive = await h.db
      .select({ id: videos.id })
      .from(videos)
      .where(and(inArray(videos.id, under), eq(videos.soraGenerationStatus, 'in_progress')));
    expect(stillActive).toHaveLength(under.length);
  });

  it('plans no automatic retry once the attempts are used up', async () => {
    const userId = await h.createUser();
    const last = await activeGeneration(userId, { attempt: 3 });
    await age([last], '16 minutes');
    const [failure] = await sweepAll([last]);
    expect(failure).toMatchObject({ videoId: last, autoRetryAt: null });
    expect((await h.video(last)).autoRetryAt).toBeNull();
  });

  // PGlite's clock is this process's own (WASM reads Date.now), so only PostgreSQL can show the difference.
  it.skipIf(testDbKind() === 'pglite')('measures by the database clock, not the caller’s', async () => {
    const userId = await h.createUser();
    const id = await activeGeneration(userId);
    await age([id], '14 minutes 59 seconds');
    // A sweeper whose own clock runs an hour ahead still asks the database what time it is.
    const realNow = Date.now;
    Date.now = () => realNow() + 3_600_000;
    try {
      expect(await sweepAll([id])).toEqual([]);
    } finally {
      Date.now = realNow;
    }
    expect((await h.video(id)).soraGenerationStatus).toBe('in_progress');
  });
});
