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

  it('gives sora.generate, sora.retry and sora.reset one shared budget: a reset-then-generate loop costs two calls', async () => {
    const ada = await h.signUp('ada');
    const first = await ada.caller.videos.create({ prompt: `First ${LONG}` });
    const second = await ada.caller.videos.create({ prompt: `Second ${LONG}` });
    await ada.caller.sora.generate({ videoId: first.id });
    await ada.caller.sora.reset({ videoId: first.id }); // generate + reset: the whole budget of 2

    const createsBefore = creates().length;
    const { error, shape } = await expectTRPCError(() => ada.caller.sora.retry({ videoId: first.id }));
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.message).toMatch(/^Too many generation requests; try again in \d+ s\.$/);
    expect(shape.data.appError?.retryAfterMs).toBeGreaterThan(0);
    await expect(ada.caller.sora.generate({ videoId: second.id })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    await expect(ada.caller.sora.reset({ videoId: first.id })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(creates()).toHaveLength(createsBefore);
    expect((await ada.caller.videos.get({ videoId: second.id })).generation.status).toBe('not_started');
  });

  it('counts videos.bulk retry and reset once per video against the same budget, refusing the rest by video', async () => {
    const ada = await h.signUp('ada');
    const videos = [];
    for (const n of [1, 2, 3]) videos.push(await ada.caller.videos.create({ prompt: `Bulk ${n} ${LONG}` }));
    // Reset of a video never started changes nothing, but is counted like sora.reset.
    const reset = await ada.caller.videos.bulk({ action: 'reset', videoIds: videos.map((video) => video.id) });
    expect(reset.outcomes.map((outcome) => outcome.done)).toEqual([true, true, false]);
    expect(reset.outcomes[2]).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: expect.stringMatching(/^Too many generation requests; try again in \d+ s\.$/) });
    expect(reset.summary).toMatch(/^2 reset; 1 refused: “Bulk 3 .*”: Too many generation requests; try again in \d+ s\.$/);
    // The budget is shared with the single-video procedures.
    await expect(ada.caller.sora.generate({ videoId: videos[0]!.id })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    // Deleting is not a start: no budget needed.
    const deleted = await ada.caller.videos.bulk({ action: 'delete', videoIds: videos.map((video) => video.id) });
    expect(deleted.summary).toBe('3 deleted.');
  });

  it('refuses sora.createAndGenerate over the budget without leaving an empty video behind', async () => {
    const bob = await h.signUp('bob');
    await bob.caller.sora.createAndGenerate({ prompt: `One ${LONG}` });
    await bob.caller.sora.createAndGenerate({ prompt: `Two ${LONG}` });
    const createsBefore = creates().length;
    await expect(bob.caller.sora.createAndGenerate({ prompt: `Three ${LONG}` })).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
    expect(creates()).toHaveLength(createsBefore);
    expect((await bob.caller.videos.list()).items.map((video) => video.title).sort()).toEqual([`One ${LONG}`, `Two ${LONG}`]);
  });
});
