import { soraEvents, soraGenerations, videos } from '@sora-monitor/db';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../../src';
import { callProcedure, listProcedures, takesVideoId, type ProcedureInfo } from '../../src/testing/procedures';
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

/**
 * Procedures that take no video id, each with why it cannot leak another user's video. Every other procedure must take
 * a videoId and is then checked below; a new procedure that is neither fails the first test.
 */
const WITHOUT_VIDEO_ID: Record<string, string> = {
  'me.get': "returns the caller's own identity",
  'system.health': 'server status only; no user data',
  'tokens.create': "creates a token for the caller's own account",
  'tokens.list': "lists the caller's own tokens",
  'tokens.revoke': "another user's token id is refused (api-tokens.test.ts)",
  'videos.create': 'creates a video owned by the caller',
  'videos.list': "lists the caller's own videos (tested below)",
};

const PROCEDURES = listProcedures();
const VIDEO_PROCEDURES = PROCEDURES.filter(takesVideoId);

/** Calls a procedure with a video id; a subscription is opened and read until its first event or an error. */
async function attempt(caller: TestUser['caller'], procedure: ProcedureInfo, videoId: string): Promise<unknown> {
  const result = await callProcedure(caller, procedure.path, { videoId });
  if (procedure.type !== 'subscription') return result;
  for await (const update of result as AsyncIterable<unknown>) throw new Error(`received an event: ${JSON.stringify(update)}`);
  return result;
}

describe('the ownership matrix', () => {
  it('covers every procedure of the router: each takes a videoId or says why it needs none', () => {
    const unclassified = PROCEDURES.filter((procedure) => !takesVideoId(procedure) && !(procedure.path in WITHOUT_VIDEO_ID));
    expect(unclassified.map((procedure) => procedure.path)).toEqual([]);
    const stale = Object.keys(WITHOUT_VIDEO_ID).filter((path) => !PROCEDURES.some((procedure) => procedure.path === path));
    expect(stale).toEqual([]);
    // The generated list really is the router's: the procedures known to take a video id are in it.
    expect(VIDEO_PROCEDURES.map((procedure) => procedure.path)).toEqual(
      expect.arrayContaining(['sora.generate', 'sora.onUpdate', 'sora.reset', 'sora.status', 'videos.delete', 'videos.get']),
    );
  });
});

describe("another user's video", () => {
  it.each(VIDEO_PROCEDURES.map((procedure) => [procedure.path, procedure] as const))(
    '%s answers NOT_FOUND exactly like a random id, with no upstream call and no write',
    async (_path, procedure) => {
      const malloryCaller = h.callerFor(mallory, { signal: AbortSignal.timeout(5_000) });
      // An active generation: the one case where a status call would normally ask upstream.
      const { video } = await startVideo(ada.caller, 'Private to Ada [sim:duration=60000]');
      const before = await snapshot();
      const requestsBefore = h.sim.requests().length;

      const theirs = await expectTRPCError(() => attempt(malloryCaller, procedure, video.id));
      const nobodys = await expectTRPCError(() => attempt(malloryCaller, procedure, RANDOM_VIDEO_ID));

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

  it('refuses every procedure to a caller who is not signed in (UNAUTHORIZED)', async () => {
    const { video } = await startVideo(ada.caller, 'Signed out [sim:duration=60000]');
    const anonymous = createCaller({
      ...h.services,
      user: null,
      headers: new Headers(),
      reauthenticate: () => Promise.resolve(null),
      logger: h.services.generations.logger,
    });
    const requestsBefore = h.sim.requests().length;
    for (const procedure of VIDEO_PROCEDURES) {
      const { error } = await expectTRPCError(() => attempt(anonymous, procedure, video.id));
      expect(error.code, procedure.path).toBe('UNAUTHORIZED');
    }
    expect((await expectTRPCError(() => anonymous.videos.list({}))).error.code).toBe('UNAUTHORIZED');
    expect((await expectTRPCError(() => anonymous.videos.create({ prompt: 'x' }))).error.code).toBe(
      'UNAUTHORIZED',
    );
    expect((await expectTRPCError(() => anonymous.sora.onUpdate({}))).error.code).toBe('UNAUTHORIZED');
    expect(h.sim.requests()).toHaveLength(requestsBefore);
  });
});
