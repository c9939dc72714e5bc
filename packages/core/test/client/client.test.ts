import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSoraMonitorClient,
  describeClientError,
  fetchVideoContent,
  type SoraMonitorClient,
  type StatusView,
} from '../../src/client';
import { closedPortUrl, startRealServer, type RealServer } from './real-server';

const here = path.dirname(fileURLToPath(import.meta.url));
const simulatorVideo = path.resolve(here, '../../../simulator/assets/videos/720x1280-4s.mp4');

let server: RealServer;
let client: SoraMonitorClient;
/** Every HTTP request the client made, through the injected fetch. */
const requests: string[] = [];

beforeAll(async () => {
  server = await startRealServer();
  client = createSoraMonitorClient({
    url: `${server.url}/`, // a trailing slash is fine
    token: server.token,
    fetch: (input, init) => {
      requests.push(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    },
  });
});
afterAll(() => server?.stop());

/** Collects the subscription's snapshots of one video until it is terminal. */
function collectUntilTerminal(videoId: string): {
  done: Promise<StatusView[]>;
  started: Promise<void>;
  stop: () => void;
} {
  const seen: StatusView[] = [];
  let onStarted = () => {};
  const started = new Promise<void>((resolve) => (onStarted = resolve));
  let stop = () => {};
  const done = new Promise<StatusView[]>((resolve, reject) => {
    const subscription = client.sora.onUpdate.subscribe(
      { videoId },
      {
        onStarted: () => onStarted(),
        onData: ({ data }) => {
          seen.push(data.video.generation);
          if (data.video.generation.status === 'completed' || data.video.generation.status === 'failed') {
            subscription.unsubscribe();
            resolve(seen);
          }
        },
        onError: reject,
      },
    );
    stop = () => subscription.unsubscribe();
  });
  return { done, started, stop };
}

describe('createSoraMonitorClient against a real server, with an API token', () => {
  it('queries with the Bearer token, and batches concurrent queries into one request', async () => {
    expect(await client.me.get.query()).toMatchObject({ email: server.email, via: 'token' });

    requests.length = 0;
    const [health, list] = await Promise.all([
      client.system.health.query(),
      client.videos.list.query({ limit: 5 }),
    ]);
    expect(health).toMatchObject({ ok: true, provider: { simulated: true } });
    expect(list.items).toBeInstanceOf(Array);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toContain('/trpc/system.health,videos.list?batch=1');
  });

  it('mutates, and the subscription streams the generation to completion; the content is what the simulator served', async () => {
    const video = await client.videos.create.mutate({ prompt: 'A paper boat on a pond', seconds: 4 });
    expect(video).toMatchObject({ prompt: 'A paper boat on a pond', model: 'sora-2', seconds: 4 });
    expect(video.generation.status).toBe('not_started');

    const stream = collectUntilTerminal(video.id);
    await stream.started;
    const started = await client.sora.generate.mutate({ videoId: video.id });
    expect(started.status).toBe('queued');

    const seen = await stream.done;
    expect(seen.map((view) => view.status)).toContain('queued');
    expect(seen.at(-1)).toMatchObject({ status: 'completed', progress: 100 });
    expect(seen.at(-1)?.videoUrl).toBe(`/api/videos/${video.id}/content`);

    const response = await fetchVideoContent({ url: server.url, token: server.token }, video.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await response.arrayBuffer()).equals(await readFile(simulatorVideo))).toBe(true);
  });

  it('turns failures into actionable kinds: bad input with field messages, unknown id', async () => {
    const badInput = await client.videos.create.mutate({ prompt: '   ' }).catch((error: unknown) => error);
    expect(describeClientError(badInput)).toMatchObject({
      kind: 'bad_input',
      code: 'BAD_REQUEST',
      message: 'prompt must not be empty',
      fieldErrors: { prompt: ['prompt must not be empty'] },
    });

    const missing = await client.videos.get
      .query({ videoId: crypto.randomUUID() })
      .catch((error: unknown) => error);
    expect(describeClientError(missing)).toMatchObject({ kind: 'not_found', code: 'NOT_FOUND' });

    const completed = (await client.videos.list.query({ status: 'completed', limit: 1 })).items[0];
    if (completed) {
      const refused = await client.sora.reset
        .mutate({ videoId: completed.id })
        .catch((error: unknown) => error);
      expect(describeClientError(refused)).toMatchObject({
        kind: 'refused',
        message: 'Cannot reset completed generation',
      });
    }
  });

  it('a wrong token is UNAUTHORIZED for queries and for the subscription', async () => {
    const intruder = createSoraMonitorClient({ url: server.url, token: 'sora_not-a-real-token' });
    expect(await intruder.me.get.query()).toBeNull();
    const refused = await intruder.videos.list.query({}).catch((error: unknown) => error);
    expect(describeClientError(refused)).toMatchObject({ kind: 'unauthorized', code: 'UNAUTHORIZED' });

    const streamError = await new Promise<unknown>((resolve) => {
      const subscription = intruder.sora.onUpdate.subscribe(
        {},
        {
          onData: () => resolve(new Error('an unauthenticated stream delivered data')),
          onError: (error) => {
            subscription.unsubscribe();
            resolve(error);
          },
        },
      );
    });
    expect(describeClientError(streamError)).toMatchObject({ kind: 'unauthorized' });

    const content = await fetchVideoContent(
      { url: server.url, token: 'sora_not-a-real-token' },
      crypto.randomUUID(),
    );
    expect(content.status).toBe(401);
  });

  it('a server that is down is "unreachable"', async () => {
    const offline = createSoraMonitorClient({ url: await closedPortUrl(), token: server.token });
    const error = await offline.system.health.query().catch((caught: unknown) => caught);
    expect(describeClientError(error)).toMatchObject({ kind: 'unreachable', code: null });
    expect(describeClientError(error).message).toMatch(/ECONNREFUSED/);
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => createSoraMonitorClient({ url: 'localhost:3000', token: 't' })).toThrow(/http/);
    expect(() => createSoraMonitorClient({ url: 'not a url', token: 't' })).toThrow(/Not a URL/);
  });
});
