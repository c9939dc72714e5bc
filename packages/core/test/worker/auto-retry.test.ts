import { videos } from '@sora-monitor/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyFailure } from '../../src/domain';
import { createRefresher } from '../../src/generations';
import { startDueRetries, sweepStuckGenerations } from '../../src/worker';
import { driveUntil, sleep, startWorkerHarness, waitUntil, type WorkerDeps, type WorkerHarness } from './harness';

const RETRY_BASE_MS = 150;

let h: WorkerHarness;
/** Jitter pinned to its lowest value, so each planned delay is exactly known. */
let deps: WorkerDeps;

beforeAll(async () => {
  h = await startWorkerHarness({
    sim: { generationMs: 150 },
    settings: { retryBaseMs: RETRY_BASE_MS, maxAttempts: 3 },
  });
  deps = { ...h.deps, random: () => 0 };
});
afterAll(() => h?.close());

describe('automatic retries', () => {
  it('starts a new attempt after the backoff when upstream fails with a transient error, up to the attempt limit', async () => {
    const video = await h.startVideo('A windmill in a storm [sim:fail=internal_error]');
    // The poller's two steps, taken one at a time so the plan can be read between them.
    const refresh = createRefresher(deps);
    const poll = () => refresh(video.id, { actor: 'poller', freshForMs: 0 });

    for (let attempt = 1; attempt <= 3; attempt++) {
      // The attempt fails upstream; the refresh records it and plans the next one (or, at the limit, none).
      const failed = await waitUntil(
        async () => {
          await poll();
          return h.video(video.id);
        },
        (row) => row.soraGenerationStatus === 'failed',
      );
      expect(failed.soraErrorCode).toBe('internal_error');
      const generations = await h.generations(video.id);
      expect(generations).toHaveLength(attempt);
      expect(generations[attempt - 1]).toMatchObject({
        attempt,
        status: 'failed',
        errorCode: 'internal_error',
      });
      if (attempt === 3) {
        expect(failed.autoRetryAt).toBeNull();
        break;
      }
      // Exponential with the jitter at its floor: at least base * 2^(attempt - 1) after the poll that saw it fail.
      const planned = failed.autoRetryAt!;
      expect(planned.getTime() - failed.lastPolledAt!.getTime()).toBeGreaterThanOrEqual(
        RETRY_BASE_MS * 2 ** (attempt - 1),
      );

      const rows = await waitUntil(
        async () => {
          await startDueRetries(deps, 10);
          return h.generations(video.id);
        },
        (current) => current.length === attempt + 1,
      );
      // Not before its planned time (both by the database clock).
      expect(rows[attempt]!.requestedAt.getTime()).toBeGreaterThanOrEqual(planned.getTime());
      expect(rows[attempt]!.jobId).not.toBe(rows[attempt - 1]!.jobId);
    }

    // The limit holds: the poller starts nothing more, however long it keeps going.
    const poller = h.poller({}, deps);
    for (let i = 0; i < 5; i++) await poller.runOnce();
    expect(await h.generations(video.id)).toHaveLength(3);
    const retriesByPoller = (await h.events(video.id)).filter(
      (event) => event.type === 'generation_requested' && event.actor === 'poller',
    );
    expect(retriesByPoller).toHaveLength(2);
  });

  it('lets the poller carry a transient failure through every attempt on its own', async () => {
    const video = await h.startVideo('A kite in the rain [sim:fail=server_error]');
    const poller = h.poller({}, deps);
    await driveUntil(
      h,
      poller,
      async () => ({ video: await h.video(video.id), attempts: (await h.generations(video.id)).length }),
      ({ video: row, attempts }) => attempts === 3 && row.soraGenerationStatus === 'failed',
    );
    expect((await h.video(video.id)).autoRetryAt).toBeNull();
  });

  it('never retries a moderation failure automatically, and says what the user can do', async () => {
    const video = await h.startVideo('Something the moderation refuses [sim:fail=moderation_blocked]');
    const poller = h.poller({}, deps);
    const failed = await driveUntil(
      h,
      poller,
      () => h.video(video.id),
      (row) => row.soraGenerationStatus === 'failed',
    );
    expect(failed.soraErrorCode).toBe('moderation_blocked');
    expect(failed.autoRetryAt).toBeNull();
    // What the user is told to do (the web app shows it next to the error).
    const help = classifyFailure(failed.soraErrorCode);
    expect(help).toMatchObject({ kind: 'moderation', autoRetryable: false });
    expect(help.advice).toMatch(/rephrase/i);

    for (let i = 0; i < 5; i++) await poller.runOnce();
    expect(await h.generations(video.id)).toHaveLength(1);
    expect((await h.video(video.id)).soraGenerationStatus).toBe('failed');
    // Only the one create: no automatic new job upstream.
    expect(
      h.sim.requests().filter((entry) => entry.method === 'POST' && entry.videoId === video.soraJobId),
    ).toHaveLength(1);
  });

  /** A job frozen at 30 %, polled until stored at 30, then failed by the sweep (its final check still said 30 %). */
  async function failAsStuck(prompt: string) {
    const video = await h.startVideo(prompt);
    // The frozen job reaches 30 % at once; one poll then sees it (every status request counts for expire-after).
    await sleep(200);
    await createRefresher(deps)(video.id, { actor: 'poller', freshForMs: 0 });
    expect((await h.video(video.id)).soraProgress).toBe(30);
    await h.db
      .update(videos)
      .set({ progressChangedAt: sql`now() - interval '16 minutes'`, upstreamAnsweringSince: sql`now() - interval '16 minutes'` })
      .where(eq(videos.id, video.id));
    await sweepStuckGenerations({ ...deps, settings: { ...deps.settings, stuckTimeoutMs: 15 * 60_000 } });
    const failed = await h.video(video.id);
    expect(failed).toMatchObject({ soraGenerationStatus: 'failed', soraErrorCode: 'stuck_timeout' });
    expect(failed.autoRetryAt).not.toBeNull();
    return failed;
  }

  const creates = (jobIds: Array<string | null>) =>
    h.sim.requests().filter((entry) => entry.method === 'POST' && jobIds.includes(entry.videoId ?? null));
  const makeRetryDue = (id: string) => h.db.update(videos).set({ autoRetryAt: sql`now()` }).where(eq(videos.id, id));

  it('does not start an automatic retry while the job failed as stuck may still finish upstream', async () => {
    const failed = await failAsStuck('Frozen for good [sim:stuck=30]');
    for (let i = 0; i < 3; i++) {
      await makeRetryDue(failed.id);
      await startDueRetries(deps, 10);
    }
    // Upstream still reports the old job running: no new paid job, the retry waits and says why.
    expect(await h.generations(failed.id)).toHaveLength(1);
    expect(creates([failed.soraJobId])).toHaveLength(1);
    const row = await h.video(failed.id);
    expect(row.soraGenerationStatus).toBe('failed');
    expect(row.autoRetryAt).not.toBeNull();
    const deferred = (await h.events(failed.id)).filter((event) => event.type === 'auto_retry_deferred');
    expect(deferred).toHaveLength(3);
    expect(deferred[0]!.message).toMatch(/may still finish/);
  });

  it('starts the automatic retry once the job failed as stuck is gone upstream', async () => {
    // Status requests: the poll (1), the sweep's final check (2), one deferred retry (3); the 4th finds it gone.
    const failed = await failAsStuck('Frozen, then gone [sim:stuck=30][sim:expire-after=3][sim:faults-for=1]');
    await makeRetryDue(failed.id);
    await startDueRetries(deps, 10);
    expect(await h.generations(failed.id)).toHaveLength(1);

    await makeRetryDue(failed.id);
    await startDueRetries(deps, 10);
    const rows = await h.generations(failed.id);
    expect(rows).toHaveLength(2);
    expect(rows[1]!.jobId).not.toBe(rows[0]!.jobId);
    expect((await h.events(failed.id)).filter((event) => event.type === 'auto_retry_deferred')).toHaveLength(1);
  });

  it('downloads the video when the job failed as stuck completed after all, instead of paying for a new one', async () => {
    const video = await h.startVideo('Slow, seemingly stuck [sim:duration=2500]');
    await sleep(600);
    await createRefresher(deps)(video.id, { actor: 'poller', freshForMs: 0 });
    // Upstream keeps reporting less than what is stored (progress never goes back): to us, nothing moves.
    await h.db
      .update(videos)
      .set({ soraProgress: 99, progressChangedAt: sql`now() - interval '16 minutes'`, upstreamAnsweringSince: sql`now() - interval '16 minutes'` })
      .where(eq(videos.id, video.id));
    await sweepStuckGenerations({ ...deps, settings: { ...deps.settings, stuckTimeoutMs: 15 * 60_000 } });
    expect(await h.video(video.id)).toMatchObject({ soraGenerationStatus: 'failed', soraErrorCode: 'stuck_timeout' });

    await h.upstreamFinished(video.soraJobId!);
    await makeRetryDue(video.id);
    await startDueRetries(deps, 10);
    const poller = h.poller({}, deps);
    const done = await driveUntil(h, poller, () => h.video(video.id), (row) => row.soraGenerationStatus === 'completed');
    expect(done.blobKey).not.toBeNull();
    expect(done.soraErrorCode).toBeNull();
    expect(await h.generations(video.id)).toHaveLength(1);
    expect(creates([video.soraJobId])).toHaveLength(1);
  });
});
