import { soraEvents, soraGenerations, userWebhookDeliveries, userWebhookEndpoints, videos } from '@sora-monitor/db';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../../src';
import {
  callProcedure,
  endpointInputFor,
  listProcedures,
  takesEndpointId,
  takesVideoId,
  takesVideoIds,
  videoIdsInputsFor,
  videoInputFor,
  type ProcedureInfo,
} from '../../src/testing/procedures';
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

interface BulkAnswer {
  outcomes: unknown[];
  summary: string;
}

/** Everything the database holds about videos, to prove a refused call wrote nothing. */
async function snapshot() {
  const db = h.db.db;
  return {
    videos: await db.select().from(videos).orderBy(asc(videos.id)),
    generations: await db.select().from(soraGenerations).orderBy(asc(soraGenerations.id)),
    events: await db.select().from(soraEvents).orderBy(asc(soraEvents.id)),
    webhookEndpoints: await db.select().from(userWebhookEndpoints).orderBy(asc(userWebhookEndpoints.id)),
    webhookDeliveries: await db.select().from(userWebhookDeliveries).orderBy(asc(userWebhookDeliveries.id)),
  };
}

/**
 * Procedures that take no video id, each with why it cannot leak another user's video. Every other procedure must take
 * a videoId or a webhook endpointId and is then checked below; a new procedure that is none of these fails the first
 * test.
 */
const WITHOUT_VIDEO_ID: Record<string, string> = {
  'me.get': "returns the caller's own identity",
  'system.health': 'server status only; no user data',
  'system.models': "the server's model catalog only; no user data",
  'tokens.create': "creates a token for the caller's own account",
  'tokens.list': "lists the caller's own tokens",
  'tokens.revoke': "another user's token id is refused (api-tokens.test.ts)",
  'videos.create': 'creates a video owned by the caller',
  'sora.createAndGenerate': 'creates (and starts) a video owned by the caller',
  'sora.spendToday': "sums the caller's own attempts of today",
  'usage.report': "sums the caller's own attempts (another user sees none of them: usage.test.ts)",
  'usage.summary': "sums the caller's own attempts (another user sees none of them: usage.test.ts)",
  'videos.list': "lists the caller's own videos (tested below); sourceVideoId only narrows that list",
  'videos.counts': "counts the caller's own videos per status (another user's are never counted: video-list.test.ts)",
  'webhooks.list': "lists the caller's own webhook endpoints (another user's are never listed: webhooks.test.ts)",
  'webhooks.create': 'creates a webhook endpoint owned by the caller',
};

const PROCEDURES = listProcedures();
const VIDEO_PROCEDURES = PROCEDURES.filter(takesVideoId);
/** Procedures acting on several videos: they answer per video, so another user's is reported, not thrown. */
const VIDEOS_PROCEDURES = PROCEDURES.filter(takesVideoIds);
const ENDPOINT_PROCEDURES = PROCEDURES.filter(takesEndpointId);

/** Calls a procedure with a video id; a subscription is opened and read until its first event or an error. */
async function attempt(caller: TestUser['caller'], procedure: ProcedureInfo, videoId: string): Promise<unknown> {
  const result = await callProcedure(caller, procedure.path, videoInputFor(procedure.path, videoId));
  if (procedure.type !== 'subscription') return result;
  for await (const update of result as AsyncIterable<unknown>) throw new Error(`received an event: ${JSON.stringify(update)}`);
  return result;
}

describe('the ownership matrix', () => {
  it('covers every procedure of the router: each takes a videoId or says why it needs none', () => {
    const unclassified = PROCEDURES.filter(
      (procedure) => !takesVideoId(procedure) && !takesVideoIds(procedure) && !takesEndpointId(procedure) && !(procedure.path in WITHOUT_VIDEO_ID),
    );
    expect(unclassified.map((procedure) => procedure.path)).toEqual([]);
    const stale = Object.keys(WITHOUT_VIDEO_ID).filter((path) => !PROCEDURES.some((procedure) => procedure.path === path));
    expect(stale).toEqual([]);
    // The generated list really is the router's: the procedures known to take a video id are in it.
    expect(VIDEO_PROCEDURES.map((procedure) => procedure.path)).toEqual(
      expect.arrayContaining([
        'sora.edit',
        'sora.extend',
        'sora.generate',
        'sora.onUpdate',
        'sora.remix',
        'sora.reset',
        'sora.status',
        'videos.delete',
        'videos.get',
      ]),
    );
    expect(VIDEOS_PROCEDURES.map((procedure) => procedure.path)).toEqual(['videos.bulk']);
    expect(ENDPOINT_PROCEDURES.map((procedure) => procedure.path)).toEqual(
      expect.arrayContaining(['webhooks.deliveries', 'webhooks.delete', 'webhooks.sendTest', 'webhooks.update']),
    );
  });
});

describe("another user's webhook endpoint", () => {
  it.each(ENDPOINT_PROCEDURES.map((procedure) => [procedure.path, procedure] as const))(
    '%s answers NOT_FOUND exactly like a random id, and writes nothing',
    async (path) => {
      const adaCaller = h.callerFor(ada);
      const endpoint = (await adaCaller.webhooks.list())[0] ?? (await adaCaller.webhooks.create({ url: 'https://1.1.1.1/hooks/ada', events: ['video.completed'] })).endpoint;
      const malloryCaller = h.callerFor(mallory);
      const before = await snapshot();

      const theirs = await expectTRPCError(() => callProcedure(malloryCaller, path, endpointInputFor(path, endpoint.id)));
      const nobodys = await expectTRPCError(() => callProcedure(malloryCaller, path, endpointInputFor(path, RANDOM_VIDEO_ID)));

      expect(theirs.error.code).toBe('NOT_FOUND');
      expect(theirs.error.message).toBe(nobodys.error.message);
      expect(theirs.shape).toEqual(nobodys.shape);
      expect(await snapshot()).toEqual(before);
    },
  );
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

  it.each(VIDEOS_PROCEDURES.flatMap((procedure) => videoIdsInputsFor(procedure.path, []).map((input) => [procedure.path, JSON.stringify(input), procedure] as const)))(
    '%s %s reports it "not found" exactly like a random id, with no title, no upstream call and no write',
    async (path, inputJson, procedure) => {
      const input = JSON.parse(inputJson) as Record<string, unknown>;
      // Ada's video that was never started (reset and delete would act on it) and one generating.
      const idle = await ada.caller.videos.create({ prompt: 'Ada has not started this one' });
      const { video: active } = await startVideo(ada.caller, 'Ada runs [sim:duration=60000]');
      const otherRandomId = '0b8e4a52-6c1d-4f3a-8e2b-9d7c5a1f3e60';
      const before = await snapshot();
      const requestsBefore = h.sim.requests().length;

      const theirs = (await callProcedure(mallory.caller, path, { ...input, videoIds: [idle.id, active.id] })) as BulkAnswer;
      const nobodys = (await callProcedure(mallory.caller, path, { ...input, videoIds: [RANDOM_VIDEO_ID, otherRandomId] })) as BulkAnswer;

      const notFound = { done: false, title: null, code: 'NOT_FOUND', message: 'Video not found' };
      expect(theirs.outcomes).toEqual([{ videoId: idle.id, ...notFound }, { videoId: active.id, ...notFound }]);
      expect(nobodys.outcomes).toEqual([{ videoId: RANDOM_VIDEO_ID, ...notFound }, { videoId: otherRandomId, ...notFound }]);
      expect(theirs.summary.replaceAll(idle.id, RANDOM_VIDEO_ID).replaceAll(active.id, otherRandomId)).toBe(nobodys.summary);
      expect(h.sim.requests()).toHaveLength(requestsBefore);
      expect(await snapshot()).toEqual(before);
      expect(procedure.type).toBe('mutation');
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
    for (const procedure of VIDEOS_PROCEDURES) {
      for (const input of videoIdsInputsFor(procedure.path, [video.id])) {
        const { error } = await expectTRPCError(() => callProcedure(anonymous, procedure.path, input));
        expect(error.code, procedure.path).toBe('UNAUTHORIZED');
      }
    }
    for (const procedure of ENDPOINT_PROCEDURES) {
      const { error } = await expectTRPCError(() => callProcedure(anonymous, procedure.path, endpointInputFor(procedure.path, RANDOM_VIDEO_ID)));
      expect(error.code, procedure.path).toBe('UNAUTHORIZED');
    }
    expect((await expectTRPCError(() => anonymous.webhooks.list())).error.code).toBe('UNAUTHORIZED');
    expect((await expectTRPCError(() => anonymous.videos.list({}))).error.code).toBe('UNAUTHORIZED');
    expect((await expectTRPCError(() => anonymous.videos.create({ prompt: 'x' }))).error.code).toBe(
      'UNAUTHORIZED',
    );
    expect((await expectTRPCError(() => anonymous.sora.onUpdate({}))).error.code).toBe('UNAUTHORIZED');
    expect(h.sim.requests()).toHaveLength(requestsBefore);
  });
});
