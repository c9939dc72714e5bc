import { endpointInputFor, listProcedures, takesEndpointId, takesVideoId, takesVideoIds, videoIdsInputsFor, videoInputFor } from '@sora-monitor/core/testing/procedures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpApp, type HttpApp, type SignedIn } from '../support/http-app';

/*
 * The ownership matrix over HTTP: every HTTP route with a :videoId and every tRPC procedure taking a videoId, called
 * with another user's session, answers exactly like a video that does not exist, asks upstream nothing and writes
 * nothing. Both lists come from the running app and the router, so a new route or procedure is covered by itself.
 */

const RANDOM_VIDEO_ID = '7d1c4c8e-2f4b-4a52-9a57-3f3b7b0c9e11';

let h: HttpApp;
let ada: SignedIn;
let mallory: SignedIn;
let adasVideoId: string;
let adasEndpointId: string;

/** Route paths with a `:videoId` parameter, read from fastify's own route table. */
function videoRoutes(): Array<{ path: string; methods: string[] }> {
  return h.app
    .printRoutes({ commonPrefix: false })
    .split('\n')
    .map((line) => /(\/\S*:videoId\S*) \(([^)]+)\)/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ path: match[1]!, methods: match[2]!.split(', ').filter((method) => method !== 'HEAD') }));
}

beforeAll(async () => {
  h = await startHttpApp();
  ada = await h.signUp('ada');
  mallory = await h.signUp('mallory');
  // A finished video (stored content) and a second one generating: the states where a leak would matter most.
  const done = await h.trpcData<{ id: string }>(ada, 'mutation', 'videos.create', { prompt: 'Private and finished' });
  await h.trpcData(ada, 'mutation', 'sora.generate', { videoId: done.id });
  for (let i = 0; i < 200; i++) {
    const status = await h.trpcData<{ status: string }>(ada, 'query', 'sora.status', { videoId: done.id });
    if (status.status === 'completed') break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  adasVideoId = done.id;
  adasEndpointId = (
    await h.trpcData<{ endpoint: { id: string } }>(ada, 'mutation', 'webhooks.create', { url: 'https://1.1.1.1/hooks/ada', events: ['video.completed'] })
  ).endpoint.id;
});
afterAll(() => h?.close());

async function expectNoTrace(call: () => Promise<void>) {
  const before = await h.snapshot();
  const requestsBefore = h.sim.requests().length;
  await call();
  expect(h.sim.requests()).toHaveLength(requestsBefore);
  expect(await h.snapshot()).toEqual(before);
}

describe('HTTP routes that take a video id', () => {
  it('include the content route (the list is read from the app)', () => {
    expect(videoRoutes().map((route) => route.path)).toContain('/api/videos/:videoId/content');
  });

  it("answer another user's video exactly like a missing one, with no upstream call and no write", async () => {
    for (const route of videoRoutes()) {
      for (const method of route.methods) {
        await expectNoTrace(async () => {
          const send = (videoId: string) =>
            h.inject({ method: method as 'GET', url: route.path.replace(':videoId', videoId), headers: { cookie: mallory.cookie } });
          const theirs = await send(adasVideoId);
          const nobodys = await send(RANDOM_VIDEO_ID);
          expect(theirs.statusCode, `${method} ${route.path}`).toBe(404);
          expect(theirs.body).toBe(nobodys.body);
        });
      }
    }
    // The owner does get it: the refusal above is about ownership, not a broken route.
    const own = await h.inject({ method: 'GET', url: `/api/videos/${adasVideoId}/content`, headers: { cookie: ada.cookie } });
    expect(own.statusCode).toBe(200);
  });
});

describe('tRPC procedures that take a video id, over HTTP', () => {
  const procedures = listProcedures().filter(takesVideoId);

  it.each(procedures.map((procedure) => [procedure.path, procedure] as const))(
    '%s answers NOT_FOUND exactly like a random id',
    async (path, procedure) => {
      await expectNoTrace(async () => {
        const kind = procedure.type === 'mutation' ? 'mutation' : 'query';
        const theirs = await h.trpc(mallory, kind, path, videoInputFor(path, adasVideoId));
        const nobodys = await h.trpc(mallory, kind, path, videoInputFor(path, RANDOM_VIDEO_ID));
        expect(theirs.body).toBe(nobodys.body);
        if (procedure.type === 'subscription') {
          // SSE answers 200 and then ends the stream with one error event, before any data event.
          expect(theirs.body).toMatch(/event: serialized-error\ndata: .*"code":"NOT_FOUND"/);
          expect(theirs.body).not.toMatch(/^data: .*"video"/m);
        } else {
          expect(theirs.statusCode).toBe(404);
          expect(theirs.json()).toMatchObject({ error: { data: { code: 'NOT_FOUND' } } });
        }
      });
    },
  );
});

describe('tRPC procedures that take several video ids, over HTTP', () => {
  const procedures = listProcedures().filter(takesVideoIds);
  const cases = procedures.flatMap((procedure) => videoIdsInputsFor(procedure.path, []).map((input) => [procedure.path, JSON.stringify(input)] as const));

  it('include videos.bulk (the list is read from the router)', () => {
    expect(procedures.map((procedure) => procedure.path)).toEqual(['videos.bulk']);
  });

  it.each(cases)("%s %s reports another user's video exactly like a random id: not found, no title", async (path, inputJson) => {
    const input = JSON.parse(inputJson) as Record<string, unknown>;
    await expectNoTrace(async () => {
      const theirs = await h.trpc(mallory, 'mutation', path, { ...input, videoIds: [adasVideoId] });
      const nobodys = await h.trpc(mallory, 'mutation', path, { ...input, videoIds: [RANDOM_VIDEO_ID] });
      expect(theirs.statusCode).toBe(200);
      expect(theirs.body.replaceAll(adasVideoId, RANDOM_VIDEO_ID)).toBe(nobodys.body);
      expect(theirs.json()).toMatchObject({
        result: { data: { outcomes: [{ videoId: adasVideoId, title: null, done: false, code: 'NOT_FOUND', message: 'Video not found' }] } },
      });
    });
  });
});

describe('tRPC procedures that take a webhook endpoint id, over HTTP', () => {
  const procedures = listProcedures().filter(takesEndpointId);

  it('include every procedure on one endpoint', () => {
    expect(procedures.map((procedure) => procedure.path)).toEqual(
      expect.arrayContaining(['webhooks.deliveries', 'webhooks.delete', 'webhooks.sendTest', 'webhooks.update']),
    );
  });

  it.each(procedures.map((procedure) => [procedure.path, procedure] as const))(
    "%s answers another user's endpoint with 404 NOT_FOUND exactly like a random id",
    async (path, procedure) => {
      await expectNoTrace(async () => {
        const kind = procedure.type === 'mutation' ? 'mutation' : 'query';
        const theirs = await h.trpc(mallory, kind, path, endpointInputFor(path, adasEndpointId));
        const nobodys = await h.trpc(mallory, kind, path, endpointInputFor(path, RANDOM_VIDEO_ID));
        expect(theirs.statusCode).toBe(404);
        expect(theirs.body).toBe(nobodys.body);
        expect(theirs.json()).toMatchObject({ error: { data: { code: 'NOT_FOUND' } } });
      });
      // Ada's endpoint is untouched and still hers.
      const own = await h.trpcData<Array<{ id: string }>>(ada, 'query', 'webhooks.list', {});
      expect(own.map((endpoint) => endpoint.id)).toEqual([adasEndpointId]);
    },
  );
});
