import {
  APIConnectionError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  type APIError,
} from 'openai';
import { describe, expect, it } from 'vitest';
import { manualClock, sdkFor, startTestSimulator, waitForStatus } from './helpers';

const GENERATION_MS = 10_000;

/** A simulator on a hand-moved clock: each scenario's timeline is checked at exact instants. */
async function clockedSimulator() {
  const clock = manualClock();
  const sim = await startTestSimulator({ now: clock.now, generationMs: GENERATION_MS, retryAfterMs: 25 });
  return { clock, sim, client: sdkFor(sim) };
}

async function rejection(promise: Promise<unknown>): Promise<APIError> {
  return promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: unknown) => error as APIError,
  );
}

describe('scenario markers, through the real SDK', () => {
  it('[sim:slow] takes five times as long', async () => {
    const { clock, client } = await clockedSimulator();
    const { id } = await client.videos.create({ prompt: 'a snail [sim:slow]' });
    clock.advance(GENERATION_MS);
    expect(await client.videos.retrieve(id)).toMatchObject({ status: 'in_progress' });
    clock.advance(4 * GENERATION_MS);
    expect(await client.videos.retrieve(id)).toMatchObject({ status: 'completed', progress: 100 });
  });

  it('[sim:duration=MS] overrides the generation time, with the first 15% queued', async () => {
    const { clock, client } = await clockedSimulator();
    const { id } = await client.videos.create({ prompt: 'quick [sim:duration=1000]' });
    clock.advance(100);
    expect(await client.videos.retrieve(id)).toMatchObject({ status: 'queued', progress: 0 });
    clock.advance(475); // 575 ms: halfway through the in-progress phase (150..1000)
    expect(await client.videos.retrieve(id)).toMatchObject({ status: 'in_progress', progress: 50 });
    clock.advance(425);
    expect(await client.videos.retrieve(id)).toMatchObject({ status: 'completed', progress: 100 });
  });

  it('[sim:fail=moderation_blocked] fails partway with that code and a human message', async () => {
    const { clock, client } = await clockedSimulator();
    const { id } = await client.videos.create({
      prompt: 'something forbidden [sim:fail=moderation_blocked]',
    });
    clock.advance(GENERATION_MS * 0.5);
    expect((await client.videos.retrieve(id)).status).toBe('in_progress');
    clock.advance(GENERATION_MS * 0.1);
    const failed = await client.videos.retrieve(id);
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: 'moderation_blocked', message: 'Your request was blocked by our moderation system.' },
      expires_at: null,
    });
    expect(failed.progress).toBeGreaterThan(0);
    expect(failed.progress).toBeLessThan(100);
    expect(failed.completed_at).not.toBeNull();
    expect((await rejection(client.videos.downloadContent(id))).error).toMatchObject({
      code: 'video_failed',
    });

    const { id: other } = await client.videos.create({ prompt: '[sim:fail=gpu_on_fire]' });
    clock.advance(GENERATION_MS);
    expect((await client.videos.retrieve(other)).error).toEqual({
      code: 'gpu_on_fire',
      message: 'Video generation failed (gpu_on_fire).',
    });
  });

  it('[sim:stuck=40] stays in_progress at 40 forever', async () => {
    const { clock, client } = await clockedSimulator();
    const { id } = await client.videos.create({ prompt: 'stuck [sim:stuck=40]' });
    clock.advance(GENERATION_MS * 0.3);
    const early = await client.videos.retrieve(id);
    expect(early.status).toBe('in_progress');
    expect(early.progress).toBeLessThan(40);
    clock.advance(365 * 24 * 60 * 60 * 1000);
    expect(await client.videos.retrieve(id)).toMatchObject({
      status: 'in_progress',
      progress: 40,
      completed_at: null,
    });
  });

  it('[sim:faults-for=1] faults only the first job with the prompt, so a retry can complete', async () => {
    const { clock, client } = await clockedSimulator();
    const prompt = 'stuck once [sim:stuck=40] [sim:faults-for=1]';
    const { id: first } = await client.videos.create({ prompt });
    const { id: second } = await client.videos.create({ prompt });
    clock.advance(GENERATION_MS * 2);
    expect(await client.videos.retrieve(first)).toMatchObject({ status: 'in_progress', progress: 40 });
    expect(await client.videos.retrieve(second)).toMatchObject({ status: 'completed', progress: 100 });
  });

  it('[sim:expire-after=3] answers 404 after three successful polls, everywhere', async () => {
    const { client } = await clockedSimulator();
    const { id } = await client.videos.create({ prompt: 'ephemeral [sim:expire-after=3]' });
    for (let poll = 0; poll < 3; poll += 1) expect((await client.videos.retrieve(id)).id).toBe(id);
    await expect(client.videos.retrieve(id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.videos.downloadContent(id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await client.videos.list()).data.map((video) => video.id)).not.toContain(id);
  });

  it('[sim:flap-503] makes every other request on the job a 503 with retry advice; SDK retries get through', async () => {
    const { sim, client } = await clockedSimulator();
    const { id } = await client.videos.create({ prompt: 'flaky [sim:flap-503]' });
    const outage = await rejection(client.videos.retrieve(id));
    expect(outage).toBeInstanceOf(InternalServerError);
    expect(outage.status).toBe(503);
    expect(outage.headers?.get('retry-after')).toBe('1');
    expect(outage.headers?.get('retry-after-ms')).toBe('25');
    expect(outage.error).toMatchObject({ type: 'server_error', code: 'service_unavailable' });
    expect((await client.videos.retrieve(id)).id).toBe(id);
    await expect(client.videos.retrieve(id)).rejects.toBeInstanceOf(InternalServerError);

    const retrying = sdkFor(sim, { maxRetries: 2 });
    expect((await retrying.videos.retrieve(id)).id).toBe(id);
    // Other jobs and the list are unaffected.
    expect((await client.videos.list()).data).toHaveLength(1);
  });

  it('[sim:429-burst=2] answers the next two requests on the job with 429 and retry advice', async () => {
    const { client } = await clockedSimulator();
    const { id } = await client.videos.create({ prompt: 'popular [sim:429-burst=2]' });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const limited = await rejection(client.videos.retrieve(id));
      expect(limited).toBeInstanceOf(RateLimitError);
      expect(limited.headers?.get('retry-after')).toBe('1');
      expect(limited.headers?.get('retry-after-ms')).toBe('25');
      expect(limited.error).toMatchObject({ code: 'rate_limit_exceeded' });
    }
    expect((await client.videos.retrieve(id)).id).toBe(id);
  });

  it('[sim:lost-create] creates the job but loses the response (APIConnectionError); the job is in the list', async () => {
    const { sim, client } = await clockedSimulator();
    const prompt = 'did it work? [sim:lost-create]';
    await expect(client.videos.create({ prompt })).rejects.toBeInstanceOf(APIConnectionError);

    const listed = (await client.videos.list()).data;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ prompt, status: 'queued' });
    const create = sim.requests().find((entry) => entry.method === 'POST');
    expect(create).toMatchObject({ path: '/v1/videos', videoId: listed[0]?.id, status: 0, aborted: true });
  });

  it('[sim:unknown-status] reports "preprocessing" for the first part, then continues normally', async () => {
    const { clock, client } = await clockedSimulator();
    const { id } = await client.videos.create({ prompt: 'odd [sim:unknown-status]' });
    expect((await client.videos.retrieve(id)).status).toBe('preprocessing');
    clock.advance(GENERATION_MS * 0.25);
    expect((await client.videos.retrieve(id)).status).toBe('preprocessing');
    clock.advance(GENERATION_MS * 0.1);
    expect((await client.videos.retrieve(id)).status).toBe('in_progress');
    clock.advance(GENERATION_MS);
    expect((await client.videos.retrieve(id)).status).toBe('completed');
  });

  it('combines markers: a rate-limit burst on a job that then fails', async () => {
    const { clock, client } = await clockedSimulator();
    const { id } = await client.videos.create({
      prompt: '[sim:429-burst=1] combo [sim:fail=timeout][sim:duration=100]',
    });
    await expect(client.videos.retrieve(id)).rejects.toBeInstanceOf(RateLimitError);
    clock.advance(60);
    expect(await client.videos.retrieve(id)).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
  });

  it('applies markers in a remix prompt to the remix', async () => {
    const { clock, client } = await clockedSimulator();
    const { id } = await client.videos.create({ prompt: 'source [sim:duration=10]' });
    clock.advance(10);
    const remix = await client.videos.remix(id, { prompt: 'remix [sim:fail=moderation_blocked]' });
    clock.advance(GENERATION_MS);
    expect(await client.videos.retrieve(remix.id)).toMatchObject({
      status: 'failed',
      error: { code: 'moderation_blocked' },
    });
    await expect(client.videos.remix(id, { prompt: '[sim:nope]' })).rejects.toBeInstanceOf(BadRequestError);
  });

  it('runs on the real clock too: a normal job completes on its own', async () => {
    const sim = await startTestSimulator();
    const client = sdkFor(sim);
    const { id } = await client.videos.create({ prompt: 'real time [sim:duration=50]' });
    const seen = await waitForStatus(client, id, 'completed');
    expect(seen.at(-1)?.progress).toBe(100);
  });
});
