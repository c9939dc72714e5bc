import { soraEvents, soraGenerations, videos, type Database, type DbHandle } from '@sora-monitor/db';
import { testDbKind } from '@sora-monitor/db/testing';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRefresher } from '../../src/generations';
import { sweepStuckGenerations } from '../../src/worker';
import { sleep, startWorkerHarness, waitUntil, type WorkerHarness } from './harness';

/*
 * The stuck sweep against the simulator through the real SDK: "stuck" is upstream answering and reporting no
 * progress for the timeout (by the database clock). The timeout is 15 minutes; rows are aged in the database
 * rather than waited for, except where a real download must outlast a short real timeout.
 */

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

const poll = (videoId: string) => createRefresher(h.deps)(videoId, { actor: 'poller', freshForMs: 0 });

/** A real job upstream that climbs to 40 % and stays there, polled until the stored progress is 40. */
async function jobFrozenAt40(userId: string): Promise<{ id: string; jobId: string }> {
  const video = await h.startVideo('Frozen at 40% [sim:stuck=40]', userId);
  await waitUntil(
    async () => {
      await poll(video.id);
      return h.video(video.id);
    },
    (row) => row.soraProgress === 40,
  );
  return { id: video.id, jobId: video.soraJobId! };
}

/** Upstream answered and nothing moved for `interval`, by the DATABASE clock (a PostgreSQL interval). */
async function age(ids: string[], interval: string) {
  await h.db
    .update(videos)
    .set({
      progressChangedAt: sql`now() - ${interval}::interval`,
      upstreamAnsweringSince: sql`now() - ${interval}::interval`,
    })
    .where(inArray(videos.id, ids));
}

/** Three sweeps at once; the ids among `ids` each one failed (rows of other tests are ignored). */
async function sweepAll(ids: string[]): Promise<Array<{ videoId: string; autoRetryAt: Date | null }>> {
  const results = await Promise.all(sweepers.map((db) => sweepStuckGenerations({ ...h.deps, db })));
  return results.flat().filter((failure) => ids.includes(failure.videoId));
}

/** Status requests on the job the simulator received since `since` (its request log, ms). */
const statusRequestsSince = (jobId: string, since: number) =>
  h.jobRequests(jobId).filter((entry) => entry.method === 'GET' && !entry.path.endsWith('/content') && entry.startedAt >= since);

const stuckEvents = async (videoId: string) =>
  (await h.events(videoId)).filter((event) => event.actor === 'sweeper' && event.toStatus === 'failed');

describe('the stuck sweep', () => {
  it('fails a job that answers without progress for 15 minutes, once, after asking upstream one last time', async () => {
    const userId = await h.createUser();
    const under = await jobFrozenAt40(userId);
    const over = await jobFrozenAt40(userId);
    await age([under.id], '14 minutes 59 seconds');
    await age([over.id], '15 minutes 1 second');
    const sweptAt = Date.now();

    const failed = await sweepAll([under.id, over.id]);
    expect(failed.map((failure) => failure.videoId)).toEqual([over.id]);

    expect((await h.video(under.id)).soraGenerationStatus).toBe('in_progress');
    expect(await stuckEvents(under.id)).toEqual([]);
    expect(statusRequestsSince(under.jobId, sweptAt)).toEqual([]);

    // The final check: upstream was asked (by exactly one of the three sweepers) and still said 40 %.
    expect(statusRequestsSince(over.jobId, sweptAt)).toHaveLength(1);
    const row = await h.video(over.id);
    expect(row).toMatchObject({ soraGenerationStatus: 'failed', soraErrorCode: 'stuck_timeout', nextPollAt: null, leaseOwner: null });
    expect(row.soraErrorMessage).toMatch(/15 minutes/);
    const events = await stuckEvents(over.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'status_changed', fromStatus: 'in_progress' });
    expect(events[0]!.message).toMatch(/15 minutes/);
    const [generation] = await h.generations(over.id);
    expect(generation).toMatchObject({ status: 'failed', errorCode: 'stuck_timeout' });
    // An automatic new attempt is planned base..2*base later (it starts only once the old job has ended).
    const delay = row.autoRetryAt!.getTime() - row.updatedAt.getTime();
    expect(delay).toBeGreaterThan(RETRY_BASE_MS - 5_000);
    expect(delay).toBeLessThanOrEqual(2 * RETRY_BASE_MS);

    // Sweeping again changes nothing.
    await age([under.id], '14 minutes 59 seconds');
    expect(await sweepAll([under.id, over.id])).toEqual([]);
    expect(await stuckEvents(over.id)).toHaveLength(1);
  });

  it('fails each of many stuck generations exactly once with three sweepers racing', async () => {
    const userId = await h.createUser();
    const over = await Promise.all(Array.from({ length: 8 }, () => jobFrozenAt40(userId)));
    const under = await Promise.all(Array.from({ length: 4 }, () => jobFrozenAt40(userId)));
    const overIds = over.map((job) => job.id);
    const underIds = under.map((job) => job.id);
    await age(overIds, '15 minutes 1 second');
    await age(underIds, '14 minutes 59 seconds');

    const failedIds = (await sweepAll([...overIds, ...underIds])).map((failure) => failure.videoId);
    expect(failedIds.sort()).toEqual([...overIds].sort());
    const events = await h.db
      .select({ videoId: soraEvents.videoId })
      .from(soraEvents)
      .where(and(inArray(soraEvents.videoId, [...overIds, ...underIds]), eq(soraEvents.actor, 'sweeper'), eq(soraEvents.toStatus, 'failed')));
    expect(events.map((event) => event.videoId).sort()).toEqual([...overIds].sort());
    const stillActive = await h.db
      .select({ id: videos.id })
      .from(videos)
      .where(and(inArray(videos.id, underIds), eq(videos.soraGenerationStatus, 'in_progress')));
    expect(stillActive).toHaveLength(underIds.length);
  });

  it('downloads instead of failing when the final check finds the job completed', async () => {
    const video = await h.startVideo('Slow but finishing [sim:duration=1500]');
    await sleep(400);
    await poll(video.id);
    const tracked = await h.video(video.id);
    expect(tracked.soraGenerationStatus).toBe('in_progress');
    expect(tracked.soraProgress).toBeLessThan(100);
    await h.upstreamFinished(video.soraJobId!);
    await age([video.id], '20 minutes');

    expect(await sweepAll([video.id])).toEqual([]);
    const row = await h.video(video.id);
    expect(row).toMatchObject({ soraGenerationStatus: 'completed', soraProgress: 100, soraErrorCode: null });
    expect(row.blobKey).not.toBeNull();
    expect(await stuckEvents(video.id)).toEqual([]);
    expect((await h.generations(video.id)).map((attempt) => attempt.status)).toEqual(['completed']);
  });

  it('does not fail a job whose status requests hit 429 back-off for longer than the timeout', async () => {
    const video = await h.startVideo('Rate limited for a while [sim:429-burst=4][sim:duration=60000]');
    for (let i = 0; i < 4; i++) await poll(video.id);
    const limited = await h.video(video.id);
    expect(limited.pollFailures).toBe(4);
    expect(limited.upstreamAnsweringSince).toBeNull();
    // No progress recorded for 20 minutes, but upstream was not answering: not stuck, and not even asked.
    await h.db.update(videos).set({ progressChangedAt: sql`now() - interval '20 minutes'` }).where(eq(videos.id, video.id));
    const sweptAt = Date.now();
    expect(await sweepAll([video.id])).toEqual([]);
    expect(statusRequestsSince(video.soraJobId!, sweptAt)).toEqual([]);

    // Upstream answers again: the clock restarts there, however old the last progress change is.
    await poll(video.id);
    const answering = await h.video(video.id);
    expect(answering.pollFailures).toBe(0);
    expect(answering.upstreamAnsweringSince).not.toBeNull();
    await h.db.update(videos).set({ progressChangedAt: sql`now() - interval '20 minutes'` }).where(eq(videos.id, video.id));
    expect(await sweepAll([video.id])).toEqual([]);
    expect((await h.video(video.id)).soraGenerationStatus).not.toBe('failed');
    expect(await stuckEvents(video.id)).toEqual([]);
  });

  it('does not fail a download that takes longer than the stuck timeout', async () => {
    // A real 300 ms timeout and a real 2.5 s download: the old rule (no progress for the timeout) failed these.
    const quick = { ...(await h.instance({ settings: { stuckTimeoutMs: 300 } })), random: () => 0 };
    const video = await h.startVideo('A long download [sim:slow-download=2500]');
    await h.upstreamFinished(video.soraJobId!);
    let done = false;
    const download = createRefresher(quick)(video.id, { actor: 'poller', freshForMs: 0 }).finally(() => {
      done = true;
    });
    let sweepsDuringDownload = 0;
    while (!done) {
      await sleep(200);
      if (done) break;
      const row = await h.video(video.id);
      if (row.soraProgress === 100 && row.progressChangedAt! < new Date(Date.now() - 300)) {
        expect((await sweepStuckGenerations(quick)).map((failure) => failure.videoId)).not.toContain(video.id);
        sweepsDuringDownload += 1;
      }
    }
    await download;
    expect(sweepsDuringDownload).toBeGreaterThan(0);
    const row = await h.video(video.id);
    expect(row.soraGenerationStatus).toBe('completed');
    expect(await stuckEvents(video.id)).toEqual([]);
  });

  it('plans no automatic retry once the attempts are used up', async () => {
    const userId = await h.createUser();
    const last = await jobFrozenAt40(userId);
    const [generation] = await h.generations(last.id);
    await h.db.update(soraGenerations).set({ attempt: 3 }).where(eq(soraGenerations.id, generation!.id));
    await age([last.id], '16 minutes');
    const [failure] = await sweepAll([last.id]);
    expect(failure).toMatchObject({ videoId: last.id, autoRetryAt: null });
    expect((await h.video(last.id)).autoRetryAt).toBeNull();
  });

  // PGlite's clock is this process's own (WASM reads Date.now), so only PostgreSQL can show the difference.
  it.skipIf(testDbKind() === 'pglite')('measures by the database clock, not the caller’s', async () => {
    const userId = await h.createUser();
    const job = await jobFrozenAt40(userId);
    await age([job.id], '14 minutes 59 seconds');
    // A sweeper whose own clock runs an hour ahead still asks the database what time it is.
    const realNow = Date.now;
    Date.now = () => realNow() + 3_600_000;
    try {
      expect(await sweepAll([job.id])).toEqual([]);
    } finally {
      Date.now = realNow;
    }
    expect((await h.video(job.id)).soraGenerationStatus).toBe('in_progress');
  });
});
