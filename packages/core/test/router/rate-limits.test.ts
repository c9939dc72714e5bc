import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTRPCError, RANDOM_VIDEO_ID, startHarness, type Harness } from './harness';

/*
 * Per-user request limits on the router (tiny limits here, so a few calls use one up). The HTTP side (429 with
 * retry-after, content and sign-in) is in apps/server/test/security/rate-limit-http.test.ts.
 */

const STATUS_LIMIT = 3;
const GENERATE_LIMIT = 2;
const LONG = '[sim:duration=60000]';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    rateLimits: {
      status: { max: STATUS_LIMIT, windowSec: 60 },
      generate: { max: GENERATE_LIMIT, windowSec: 60 },
    },
  });
});
afterAll(() => h?.close());

const creates = () =>
  h.sim.requests().filter((entry) => entry.method === 'POST' && entry.path === '/v1/videos');

describe('per-user rate limits', () => {
  it('answers sora.status with TOO_MANY_REQUESTS, a message and retryAfterMs once the limit is used up', async () => {
    const ada = await h.signUp('ada');
    const video = await ada.caller.videos.create({ prompt: 'A quiet pond' });
    for (let call = 0; call < STATUS_LIMIT; call++) await ada.caller.sora.status({ videoId: video.id });

    const { error, shape } = await expectTRPCError(() => ada.caller.sora.status({ videoId: video.id }));
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.message).toMatch(/^Too many status requests; try again in \d+ s\.$/);
    const retryAfterMs = shape.data.appError?.retryAfterMs;
    expect(retryAfterMs).toBeGreaterThan(50_000);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(shape.data.httpStatus).toBe(429);
  });

  it('counts per user: another user keeps a full budget while the first is limited', async () => {
    const ada = await h.signUp('ada');
    const bob = await h.signUp('bob');
    const adaVideo = await ada.caller.videos.create({ prompt: 'Ada’s clip' });
    const bobVideo = await bob.caller.videos.create({ prompt: 'Bob’s clip' });
    for (let call = 0; call < STATUS_LIMIT; call++) await ada.caller.sora.status({ videoId: adaVideo.id });
    await expect(ada.caller.sora.status({ videoId: adaVideo.id })).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });

    for (let call = 0; call < STATUS_LIMIT; call++) {
      await expect(bob.caller.sora.status({ videoId: bobVideo.id })).resolves.toMatchObject({
        videoId: bobVideo.id,
      });
    }
  });

  it('does not count a request for a video the caller cannot see (NOT_FOUND comes first)', async () => {
    const ada = await h.signUp('ada');
    for (let call = 0; call < STATUS_LIMIT + 2; call++) {
      await expect(ada.caller.sora.status({ videoId: RANDOM_VIDEO_ID })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    }
    const video = await ada.caller.videos.create({ prompt: 'Still allowed' });
    await expect(ada.caller.sora.status({ videoId: video.id })).resolves.toMatchObject({
      status: 'not_started',
    });
  });

  it('gives sora.generate and sora.retry one shared budget, and a refused start sends nothing upstream', async () => {
    const ada = await h.signUp('ada');
    const first = await ada.caller.videos.create({ prompt: `First ${LONG}` });
    const second = await ada.caller.videos.create({ prompt: `Second ${LONG}` });
    await ada.caller.sora.generate({ videoId: first.id });
    await ada.caller.sora.reset({ videoId: first.id });
    await ada.caller.sora.retry({ videoId: first.id }); // generate + retry: the whole budget of 2

    const createsBefore = creates().length;
    const { error, shape } = await expectTRPCError(() => ada.caller.sora.generate({ videoId: second.id }));
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.message).toMatch(/^Too many generation requests; try again in \d+ s\.$/);
    expect(shape.data.appError?.retryAfterMs).toBeGreaterThan(0);
    await ada.caller.sora.reset({ videoId: first.id });
    await expect(ada.caller.sora.retry({ videoId: first.id })).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
    expect(creates()).toHaveLength(createsBefore);
    expect((await ada.caller.videos.get({ videoId: second.id })).generation.status).toBe('not_started');
  });
});
