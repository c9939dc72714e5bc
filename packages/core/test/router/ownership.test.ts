import { soraEvents, soraGenerations, videos } from '@sora-monitor/db';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../../src';
import {
  expectTRPCError,
  RANDOM_VIDEO_ID,
  startHarness,
  startVideo,
  type Harness,
  type TestUser,
} from './harness';

let h: Harness;
let ada: TestUser;
let mallory: TestUser;

beforeAll(async () => {
  h = await startHarness();
  ada = await h.signUp('ada');
  mallory = await h.signUp('mallory');
});
afterAll(() => h?.close());

/** Everything the database holds about videos, to prove a refused call wrote nothing. */
async function snapshot() {
  const db = h.db.db;
  return {
    videos: await db.select().from(videos).orderBy(asc(videos.id)),
    generations: await db.select().from(soraGenerations).orderBy(asc(soraGenerations.id)),
    events: await db.select().from(soraEvents).orderBy(asc(soraEvents.id)),
  };
}

type Attempt = (caller: TestUser['caller'], videoId: string) => Promise<unknown>;

const VIDEO_PROCEDURES: Record<string, Attempt> = {
  'sora.status': (caller, videoId) => caller.sora.status({ videoId }),
  'sora.generate': (caller, videoId) => caller.sora.generate({ videoId }),
  'sora.reset': (caller, videoId) => caller.sora.reset({ videoId }),
  'sora.history': (caller, videoId) => caller.sora.history({ videoId }),
  'sora.pastDurations': (caller, videoId) => caller.sora.pastDurations({ videoId }),
  'videos.get': (caller, videoId) => caller.videos.get({ videoId }),
  'videos.delete': (caller, videoId) => caller.videos.delete({ videoId }),
};

describe("another user's video", () => {
  it.each(Object.entries(VIDEO_PROCEDURES))(
    '%s answers NOT_FOUND exactly like a random id, with no upstream call and no write',
    async (_name, attempt) => {
      // An active generation: the one case where a status call would normally ask upstream.
      const { video } = await startVideo(ada.caller, 'Private to Ada [sim:duration=60000]');
      const before = await snapshot();
      const requestsBefore = h.sim.requests().length;

      const theirs = await expectTRPCError(() => attempt(mallory.caller, video.id));
      const nobodys = await expectTRPCError(() => attempt(mallory.caller, RANDOM_VIDEO_ID));

      expect(theirs.error.code).toBe('NOT_FOUND');
      expect(theirs.error.message).toBe(nobodys.error.message);
      expect(theirs.shape).toEqual(nobodys.shape);
      expect(h.sim.requests()).toHaveLength(requestsBefore);
      expect(await snapshot()).toEqual(before);
    },
  );

  it("is left out of the other user's list", async () => {
    const { video } = await startVideo(ada.caller, 'Also private [sim:duration=60000]');
    const list = await mallory.caller.videos.list({});
    expect(list.items.map((item) => item.id)).not.toContain(video.id);
    expect((await ada.caller.videos.list({})).items.map((item) => item.id)).toContain(video.id);
  });

  it('cannot be followed through the subscription: NOT_FOUND before any event', async () => {
    const { video } = await startVideo(ada.caller, 'Not for Mallory [sim:duration=60000]');
    const { error } = await expectTRPCError(async () => {
      const iterable = await mallory.caller.sora.onUpdate({ videoId: video.id });
      for await (const update of iterable) throw new Error(`received an event: ${JSON.stringify(update)}`);
    });
    expect(error.code).toBe('NOT_FOUND');
  });

  it('refuses every procedure to a caller who is not signed in (UNAUTHORIZED)', async () => {
    const { video } = await startVideo(ada.caller, 'Signed out [sim:duration=60000]');
    const anonymous = createCaller({
      ...h.services,
      user: null,
      headers: new Headers(),
      logger: h.services.generations.logger,
    });
    const requestsBefore = h.sim.requests().length;
    for (const attempt of Object.values(VIDEO_PROCEDURES)) {
      const { error } = await expectTRPCError(() => attempt(anonymous, video.id));
      expect(error.code).toBe('UNAUTHORIZED');
    }
    expect((await expectTRPCError(() => anonymous.videos.list({}))).error.code).toBe('UNAUTHORIZED');
    expect((await expectTRPCError(() => anonymous.videos.create({ prompt: 'x' }))).error.code).toBe(
      'UNAUTHORIZED',
    );
    expect((await expectTRPCError(() => anonymous.sora.onUpdate({}))).error.code).toBe('UNAUTHORIZED');
    expect(h.sim.requests()).toHaveLength(requestsBefore);
  });
});
