import { getVideoForUser, listEventsForVideo, listGenerationsForVideo } from '@sora-monitor/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, type AppServices } from '../../src';
import { GENERATION_ALREADY_ACTIVE_MESSAGE } from '../../src/domain';
import { GENERATION_REQUESTED_MESSAGE } from '../../src/generations';
import {
  expectTRPCError,
  pollStatus,
  startHarness,
  startVideo,
  type Harness,
  type TestUser,
} from './harness';

let h: Harness;
let ada: TestUser;

beforeAll(async () => {
  h = await startHarness();
  ada = await h.signUp('ada');
});
afterAll(() => h?.close());

const creates = () =>
  h.sim.requests().filter((entry) => entry.method === 'POST' && entry.path === '/v1/videos');

async function upstreamJobsWithPrompt(prompt: string) {
  const response = await fetch(`${h.sim.url}/videos?limit=100`, {
    headers: { authorization: `Bearer ${h.sim.apiKey}` },
  });
  const list = (await response.json()) as { data: Array<{ id: string; prompt: string }> };
  return list.data.filter((job) => job.prompt === prompt);
}

describe('sora.generate', () => {
  it('starts a job upstream and stores its id and queued with audit events, in one attempt', async () => {
    const createsBefore = creates().length;
    const { video, started } = await startVideo(ada.caller, 'A fox in the snow [sim:duration=60000]');
    expect(started).toMatchObject({ videoId: video.id, status: 'queued', progress: 0, error: null });
    expect(creates()).toHaveLength(createsBefore + 1);

    const row = await getVideoForUser(h.db.db, ada.id, video.id);
    expect(row).toMatchObject({ soraGenerationStatus: 'queued', soraJobId: started.jobId });
    expect(row?.soraStartedAt).toBeInstanceOf(Date);
    const [attempt] = await listGenerationsForVideo(h.db.db, video.id);
    expect(attempt).toMatchObject({
      attempt: 1,
      status: 'queued',
      jobId: started.jobId,
      createOutcome: 'confirmed',
      prompt: video.prompt,
    });
    const events = await listEventsForVideo(h.db.db, video.id);
    expect(events.map((event) => event.type)).toEqual(['job_created', 'generation_requested', 'created']);
    expect(events[1]).toMatchObject({
      fromStatus: 'not_started',
      toStatus: 'queued',
      message: GENERATION_REQUESTED_MESSAGE,
    });
  });

  it('refuses a second generation while one is active (CONFLICT), creating nothing upstream', async () => {
    const { video, started } = await startVideo(ada.caller, 'Only once [sim:duration=60000]');
    const createsBefore = creates().length;
    const { error } = await expectTRPCError(() => ada.caller.sora.generate({ videoId: video.id }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe(GENERATION_ALREADY_ACTIVE_MESSAGE);
    expect(creates()).toHaveLength(createsBefore);
    expect(await listGenerationsForVideo(h.db.db, video.id)).toHaveLength(1);
    expect((await getVideoForUser(h.db.db, ada.id, video.id))?.soraJobId).toBe(started.jobId);
  });

  it('lets only one of two simultaneous generate calls through', async () => {
    const video = await ada.caller.videos.create({ prompt: 'Double click [sim:duration=60000]' });
    const createsBefore = creates().length;
    const results = await Promise.allSettled([
      ada.caller.sora.generate({ videoId: video.id }),
      ada.caller.sora.generate({ videoId: video.id }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    expect(rejected?.status === 'rejected' && (rejected.reason as { code?: string }).code).toBe('CONFLICT');
    expect(creates()).toHaveLength(createsBefore + 1);
    expect(await listGenerationsForVideo(h.db.db, video.id)).toHaveLength(1);
  });

  it('creates no duplicate upstream job when the create response is lost, and tracks the one that was made', async () => {
    const prompt = 'Lost in transit [sim:lost-create]';
    const createsBefore = creates().length;
    const { video, started } = await startVideo(ada.caller, prompt);

    const jobs = await upstreamJobsWithPrompt(prompt);
    expect(jobs).toHaveLength(1);
    expect(creates()).toHaveLength(createsBefore + 1);
    expect(creates().at(-1)).toMatchObject({ status: 0, aborted: true, videoId: jobs[0]!.id });
    expect(started).toMatchObject({ status: 'queued', jobId: jobs[0]!.id });

    const events = await listEventsForVideo(h.db.db, video.id);
    expect(events[0]).toMatchObject({
      type: 'job_created',
      actor: 'system',
      data: { jobId: jobs[0]!.id, reconciled: true },
    });
    const [attempt] = await listGenerationsForVideo(h.db.db, video.id);
    expect(attempt).toMatchObject({ jobId: jobs[0]!.id, createOutcome: 'confirmed' });

    // The reconciled job is followed like any other, to the end.
    const done = await pollStatus(ada.caller, video.id, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', jobId: jobs[0]!.id });
    expect(await upstreamJobsWithPrompt(prompt)).toHaveLength(1);
  });

  it('fails the generation with the upstream reason when upstream refuses the create (400)', async () => {
    const { video, started } = await startVideo(ada.caller, 'A bad marker [sim:stuck=abc]');
    expect(started.status).toBe('failed');
    expect(started.error).toContain('[sim:stuck=abc]');
    expect(started.errorCode).toBe('http_400:invalid_simulator_marker');
    expect(started.jobId).toBeNull();
    const [attempt] = await listGenerationsForVideo(h.db.db, video.id);
    expect(attempt).toMatchObject({ status: 'failed', errorCode: 'http_400:invalid_simulator_marker', jobId: null });
  });
});

describe('coalescing', () => {
  // With the production setting: a status call asks upstream only when the stored state is older than the freshness
  // window. (With a window of 0, "always ask", a call that arrives after the shared call has finished asks again.)
  const WINDOW = { settings: { statusFreshnessMs: 5_000 } };
  const callerOn = (services: AppServices) =>
    createCaller({
      ...services,
      user: { id: ada.id, email: ada.email, name: ada.name, via: 'session' },
      headers: new Headers(),
      reauthenticate: () => Promise.resolve({ id: ada.id, email: ada.email, name: ada.name, via: 'session' }),
      logger: services.generations.logger,
    });

  it('makes exactly one upstream GET for 20 concurrent sora.status calls', async () => {
    const caller = callerOn(await h.secondInstance(WINDOW));
    const { video, started } = await startVideo(ada.caller, 'Popular video [sim:duration=60000]');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => caller.sora.status({ videoId: video.id })),
    );
    const gets = h.jobRequests(started.jobId!).filter((entry) => entry.method === 'GET');
    expect(gets).toHaveLength(1);
    // Everyone got the state that one call brought back.
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(answers[0]).toMatchObject({ status: 'queued', videoId: video.id, temporarilyUnavailable: false });
  });

  it('makes one upstream GET across two server instances (the row lease)', async () => {
    const callers = [callerOn(await h.secondInstance(WINDOW)), callerOn(await h.secondInstance(WINDOW))];
    const { video, started } = await startVideo(ada.caller, 'Watched by two servers [sim:duration=60000]');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => callers[i % 2]!.sora.status({ videoId: video.id })),
    );
    expect(h.jobRequests(started.jobId!).filter((entry) => entry.method === 'GET')).toHaveLength(1);
  });
});
