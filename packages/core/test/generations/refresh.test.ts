import { readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  claimVideoForRefresh,
  dbNow,
  getVideoForUser,
  listEventsForVideo,
  listGenerationsForVideo,
  soraGenerations,
} from '@sora-monitor/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CREATE_NOT_CONFIRMED_MESSAGE,
  createRefresher,
  refreshClaimed,
  startGeneration,
  type GenerationDeps,
} from '../../src/generations';
import type { VideoProvider } from '../../src/provider';
import { sleep, startHarness, startVideo, type Harness, type TestUser } from '../router/harness';

let h: Harness;
let ada: TestUser;
/** Moves the simulator's clock (job timestamps are whole seconds, so some tests need seconds to pass). */
let simClockOffsetMs = 0;

beforeAll(async () => {
  h = await startHarness({ simulator: { now: () => Date.now() + simClockOffsetMs } });
  ada = await h.signUp('ada');
});
afterAll(() => h?.close());

/** The real deps (real SDK against the simulator) with some provider calls replaced. */
function depsWith(overrides: Partial<VideoProvider>): GenerationDeps {
  const real = h.services.generations.provider;
  return { ...h.services.generations, provider: { ...real, ...overrides } };
}

const creates = () =>
  h.sim.requests().filter((entry) => entry.method === 'POST' && entry.path === '/v1/videos');

describe('the refresh path', () => {
  it('answers from the row, without asking upstream, while another instance holds the lease', async () => {
    const { video, started } = await startVideo(ada.caller, 'Leased elsewhere [sim:duration=60000]');
    const claim = await claimVideoForRefresh(h.db.db, {
      videoId: video.id,
      owner: 'another-instance',
      freshForMs: 0,
      leaseMs: 60_000,
    });
    expect(claim).not.toBeNull();

    const view = await ada.caller.sora.status({ videoId: video.id });
    expect(view).toMatchObject({ status: 'queued', jobId: started.jobId });
    expect(h.jobRequests(started.jobId!).filter((entry) => entry.method === 'GET')).toHaveLength(0);
  });

  it('answers a row read under its own finished refresh with that refresh\'s result, not the older row', async () => {
    const { video, started } = await startVideo(ada.caller, 'Read mid-refresh [sim:duration=60000]');
    let midRefresh: { video: NonNullable<Awaited<ReturnType<typeof getVideoForUser>>>; dbNowMs: number } | null = null;
    const real = h.services.generations.provider;
    const refresh = createRefresher(
      depsWith({
        retrieve: async (jobId, options) => {
          // A status request reads the row while this refresh holds its lease, then reaches the refresher late.
          const [row, now] = await Promise.all([getVideoForUser(h.db.db, ada.id, video.id), dbNow(h.db.db)]);
          midRefresh = { video: row!, dbNowMs: now.getTime() };
          return real.retrieve(jobId, options);
        },
      }),
    );
    const first = await refresh(video.id, { actor: 'poller', freshForMs: 5_000 });
    expect(first?.video.lastPolledAt).toBeInstanceOf(Date);
    expect(midRefresh!.video.leaseOwner).not.toBeNull();
    expect(midRefresh!.video.lastPolledAt).toBeNull();

    const late = await refresh(video.id, { actor: 'poller', freshForMs: 5_000, known: midRefresh! });
    expect(late?.video).toEqual(first?.video);
    expect(h.jobRequests(started.jobId!).filter((entry) => entry.method === 'GET')).toHaveLength(1);
  });

  it('discards a refresh result when a reset won the race, writing nothing', async () => {
    const { video } = await startVideo(ada.caller, 'Reset during a poll [sim:duration=60000]');
    const deps = h.services.generations;
    const owner = deps.nextLeaseOwner();
    const claim = await claimVideoForRefresh(h.db.db, {
      videoId: video.id,
      owner,
      freshForMs: 0,
      leaseMs: 60_000,
    });
    expect(claim).not.toBeNull();

    await ada.caller.sora.reset({ videoId: video.id });
    const eventsBefore = await listEventsForVideo(h.db.db, video.id);
    const result = await refreshClaimed(deps, claim!.video, new Date(claim!.dbNowMs), owner, 'poller');
    expect(result.outcome).toBeNull();
    expect(result.video.soraGenerationStatus).toBe('not_started');
    expect(await listEventsForVideo(h.db.db, video.id)).toEqual(eventsBefore);
  });

  it('discards the late result of a refresh whose lease expired and was taken over', async () => {
    const { video } = await startVideo(ada.caller, 'Slow poller [sim:stuck=50] [sim:duration=100]');
    const deps = h.services.generations;
    const slow = deps.nextLeaseOwner();
    const slowClaim = await claimVideoForRefresh(h.db.db, {
      videoId: video.id,
      owner: slow,
      freshForMs: 0,
      leaseMs: 1,
    });
    await sleep(30);

    const fast = deps.nextLeaseOwner();
    const fastClaim = await claimVideoForRefresh(h.db.db, {
      videoId: video.id,
      owner: fast,
      freshForMs: 0,
      leaseMs: 60_000,
    });
    expect(fastClaim).not.toBeNull();
    const fastResult = await refreshClaimed(
      deps,
      fastClaim!.video,
      new Date(fastClaim!.dbNowMs),
      fast,
      'poller',
    );
    expect(fastResult.outcome?.kind).toBe('tracking');

    const after = await getVideoForUser(h.db.db, ada.id, video.id);
    const lateResult = await refreshClaimed(
      deps,
      slowClaim!.video,
      new Date(slowClaim!.dbNowMs),
      slow,
      'poller',
    );
    expect(lateResult.outcome).toBeNull();
    expect(await getVideoForUser(h.db.db, ada.id, video.id)).toEqual(after);
  });

  it('fails the generation with the specific reason when the finished video cannot be downloaded, keeping no file', async () => {
    const real = h.services.generations.provider;
    const deps = depsWith({
      download: (jobId, variant, options) =>
        variant === 'video'
          ? Promise.resolve({ kind: 'not_found', message: 'gone' })
          : real.download(jobId, variant, options),
    });
    const { video } = await startVideo(ada.caller, 'Vanishing content [sim:duration=50]');
    await sleep(80);
    const result = await createRefresher(deps)(video.id, { actor: 'poller', freshForMs: 0 });
    expect(result?.video).toMatchObject({
      soraGenerationStatus: 'failed',
      soraErrorCode: 'download_failed',
      soraErrorMessage:
        'Video download failed: the video is no longer available from the video service (404)',
      blobKey: null,
    });
    const view = await ada.caller.sora.status({ videoId: video.id });
    expect(view).toMatchObject({ status: 'failed', videoUrl: null, error: expect.stringContaining('(404)') });
    const files = await readdir(path.join(h.blobDir, 'videos', video.id)).catch(() => []);
    expect(files).toEqual([]);
  });
});

describe('lost create reconciliation', () => {
  it('keeps a create whose answer was lost unconfirmed, then ties the job to it on a later refresh, never creating twice', async () => {
    let hidden = true;
    const real = h.services.generations.provider;
    const deps = depsWith({
      // Upstream's list lags behind (or fails) at first: the job cannot be found right away.
      findCreated: (...args) => (hidden ? Promise.resolve(null) : real.findCreated(...args)),
    });
    const video = await ada.caller.videos.create({
      prompt: 'Lost and found later [sim:lost-create] [sim:duration=60000]',
    });
    const createsBefore = creates().length;
    const started = await startGeneration(deps, ada.id, video.id);
    expect(started).toMatchObject({ soraGenerationStatus: 'queued', soraJobId: null });
    const [attempt] = await listGenerationsForVideo(h.db.db, video.id);
    expect(attempt?.createOutcome).toBe('unknown');
    expect((await listEventsForVideo(h.db.db, video.id))[0]?.type).toBe('create_unconfirmed');

    // Still not visible: nothing changes, nothing is created again.
    const refresh = createRefresher(deps);
    const waiting = await refresh(video.id, { actor: 'poller', freshForMs: 0 });
    expect(waiting?.video).toMatchObject({
      soraGenerationStatus: 'queued',
      soraJobId: null,
      leaseOwner: null,
    });

    hidden = false;
    const found = await refresh(video.id, { actor: 'poller', freshForMs: 0 });
    const jobId = creates().at(-1)?.videoId;
    expect(found?.video).toMatchObject({ soraGenerationStatus: 'queued', soraJobId: jobId });
    expect(creates()).toHaveLength(createsBefore + 1);
    expect((await listEventsForVideo(h.db.db, video.id))[0]).toMatchObject({
      type: 'job_created',
      data: { jobId, reconciled: true },
    });
  });

  it('fails an attempt whose job never shows up within the confirmation window, with a message that says so', async () => {
    const deps = depsWith({ findCreated: () => Promise.resolve(null) });
    const video = await ada.caller.videos.create({
      prompt: 'Never confirmed [sim:lost-create] [sim:duration=60000]',
    });
    await startGeneration(deps, ada.id, video.id);
    // The attempt was requested long enough ago.
    const row = await getVideoForUser(h.db.db, ada.id, video.id);
    await h.db.db
      .update(soraGenerations)
      .set({ requestedAt: sql`now() - interval '3 minutes'` })
      .where(eq(soraGenerations.id, row!.currentGenerationId!));

    const result = await createRefresher(deps)(video.id, { actor: 'poller', freshForMs: 0 });
    expect(result?.video).toMatchObject({
      soraGenerationStatus: 'failed',
      soraErrorMessage: CREATE_NOT_CONFIRMED_MESSAGE,
    });
    expect(await ada.caller.sora.reset({ videoId: video.id })).toMatchObject({ success: true });
  });

  it('ties a retried lost create to its own new job, not to the job of the attempt before it', async () => {
    const prompt = 'Lost twice [sim:lost-create] [sim:duration=60000]';
    const { video, started } = await startVideo(ada.caller, prompt);
    expect(started.jobId).toMatch(/^video_/);
    await ada.caller.sora.reset({ videoId: video.id });
    simClockOffsetMs += 5_000; // the retry's job is created upstream seconds after the first one

    const retried = await ada.caller.sora.generate({ videoId: video.id });
    const newest = creates().at(-1)?.videoId;
    expect(retried).toMatchObject({ status: 'queued', jobId: newest });
    expect(retried.jobId).not.toBe(started.jobId);
    const attempts = await listGenerationsForVideo(h.db.db, video.id);
    expect(attempts.map((attempt) => attempt.jobId)).toEqual([newest, started.jobId]);
  });

  it('does not take a job another video of the same prompt already owns', async () => {
    const prompt = 'Same words twice [sim:lost-create] [sim:duration=60000]';
    const first = await startVideo(ada.caller, prompt);
    simClockOffsetMs += 5_000;
    const second = await startVideo(ada.caller, prompt);
    expect(first.started.jobId).toMatch(/^video_/);
    expect(second.started.jobId).toMatch(/^video_/);
    expect(second.started.jobId).toBe(creates().at(-1)?.videoId);
    expect(second.started.jobId).not.toBe(first.started.jobId);
    expect((await ada.caller.sora.status({ videoId: first.video.id })).jobId).toBe(first.started.jobId);
  });
});
