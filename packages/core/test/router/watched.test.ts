import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecentPolls, createWatchedVideos, type Refresher } from '../../src/generations';
import { sleep, startHarness, waitUntil, type Harness, type TestUser } from './harness';

/*
 * Watched videos (generations/watched-videos.ts): a status request or an open stream for one video keeps it fresh
 * from the server every `statusFreshnessMs`, whatever the client's own rhythm, and stops once nobody looks.
 */

const FRESH_MS = 500;
const LINGER_MS = 1_200;
const LONG = '[sim:duration=120000]';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ settings: { statusFreshnessMs: FRESH_MS }, watchedLingerMs: LINGER_MS });
});
afterAll(() => h?.close());

async function generating(user: TestUser, prompt: string) {
  const video = await user.caller.videos.create({ prompt: `${prompt} ${LONG}` });
  await user.caller.sora.generate({ videoId: video.id });
  const { generation } = await user.caller.videos.get({ videoId: video.id });
  return { videoId: video.id, jobId: generation.jobId! };
}

const upstreamGets = (jobId: string) =>
  h.sim.requests().filter((entry) => entry.method === 'GET' && entry.path === `/v1/videos/${jobId}`).length;

const unwatched = () => waitUntil(() => Promise.resolve(h.services.watched.size()), (size) => size === 0, { timeoutMs: 20_000 });

describe('watched videos', () => {
  it('keeps a video someone asked about fresh with no further request, then lets it go', async () => {
    const ada = await h.signUp('ada');
    const { videoId, jobId } = await generating(ada, 'Asked about once');
    await ada.caller.sora.status({ videoId });
    const afterRequest = upstreamGets(jobId);

    // No more requests: the server asks upstream on its own, once the stored state is no longer fresh.
    await waitUntil(() => Promise.resolve(upstreamGets(jobId)), (gets) => gets >= afterRequest + 1);
    const { generation } = await ada.caller.videos.get({ videoId });
    expect(generation.status).toMatch(/queued|in_progress/);

    // Nobody asked for longer than the linger: it stops, and upstream hears nothing more about it.
    await unwatched();
    const stopped = upstreamGets(jobId);
    await sleep(FRESH_MS * 3);
    expect(upstreamGets(jobId)).toBe(stopped);
  });

  it('keeps a video fresh as long as a stream watches it, and stops after the stream closes', async () => {
    const bob = await h.signUp('bob');
    const { videoId, jobId } = await generating(bob, 'Streamed');
    const controller = new AbortController();
    const iterator = (await h.callerFor(bob, { signal: controller.signal }).sora.onUpdate({ videoId }))[Symbol.asyncIterator]();
    const first = iterator.next(); // the stream starts (and takes its hold) on the first pull
    await first;
    const opened = upstreamGets(jobId);

    // Well past the linger with no status request: the open stream alone keeps it watched.
    await waitUntil(() => Promise.resolve(upstreamGets(jobId)), (gets) => gets >= opened + 5, { timeoutMs: 20_000 });
    expect(h.services.watched.size()).toBeGreaterThanOrEqual(1);

    controller.abort();
    await iterator.return?.();
    await unwatched();
    const stopped = upstreamGets(jobId);
    await sleep(FRESH_MS * 3);
    expect(upstreamGets(jobId)).toBe(stopped);
  });

  it('asks upstream about once per freshness period however many requests and streams watch one video', async () => {
    const cy = await h.signUp('cy');
    const { videoId, jobId } = await generating(cy, 'Crowded');
    const controllers = Array.from({ length: 5 }, () => new AbortController());
    const streams = await Promise.all(
      controllers.map(async (controller) => (await h.callerFor(cy, { signal: controller.signal }).sora.onUpdate({ videoId }))[Symbol.asyncIterator]()),
    );
    await Promise.all(streams.map((stream) => stream.next()));
    const start = upstreamGets(jobId);
    const startedAt = Date.now();
    // About fifty status requests a second for 3 s on top of the streams.
    while (Date.now() - startedAt < 3_000) {
      await Promise.all(Array.from({ length: 5 }, () => cy.caller.sora.status({ videoId })));
      await sleep(100);
    }
    const elapsedPeriods = (Date.now() - startedAt) / FRESH_MS;
    // One ask per period that ended (the requests themselves refresh a stale row too, through the same claim).
    expect(upstreamGets(jobId) - start).toBeLessThanOrEqual(Math.ceil(elapsedPeriods) + 1);
    for (const controller of controllers) controller.abort();
    for (const stream of streams) await stream.return?.(undefined);
    await unwatched();
  });

  it('leaves the rhythm to the instance that asked last; another steps in only when that one stops', async () => {
    const dee = await h.signUp('dee');
    const { videoId } = await generating(dee, 'Led by one instance');
    const second = await h.secondInstance();
    const asked = { first: 0, second: 0 };
    // Counts the refreshes that asked upstream (not those answered from a row the other instance had just written).
    const counting =
      (refresh: Refresher, instance: keyof typeof asked): Refresher =>
      async (id, options) => {
        const result = await refresh(id, options);
        if (result?.outcome) asked[instance] += 1;
        return result;
      };
    const PERIOD_MS = 1_000;
    const watching = (services: typeof second, instance: keyof typeof asked) =>
      createWatchedVideos({
        refresh: counting(services.refresh, instance),
        db: h.db.db,
        logger: pino({ level: 'silent' }),
        freshForMs: PERIOD_MS,
        lingerMs: 60_000,
        recentPolls: services.generations.recentPolls ?? createRecentPolls(),
      });
    const first = watching(h.services, 'first');
    const other = watching(second, 'second');
    // A status request leaves the asking to this rhythm unless it is a whole period overdue.
    expect(first.statusFreshForMs).toBe(2 * PERIOD_MS);
    try {
      first.hold(dee.id, videoId);
      await waitUntil(() => Promise.resolve(asked.first), (count) => count >= 1);
      other.hold(dee.id, videoId);
      await sleep(PERIOD_MS * 5);
      // The first keeps the rhythm; the other would step in only if it were half a period late.
      expect(asked.first).toBeGreaterThanOrEqual(4);
      expect(asked.second).toBeLessThanOrEqual(1);

      // The first instance goes away: the other takes over and keeps the rhythm from then on.
      first.close();
      const before = asked.second;
      await sleep(PERIOD_MS * 4);
      expect(asked.second - before).toBeGreaterThanOrEqual(3);
    } finally {
      first.close();
      other.close();
    }
  });

  it('leaves the asking to status requests at the freshness when keeping fresh is off', () => {
    const options = { refresh: h.services.refresh, db: h.db.db, logger: pino({ level: 'silent' }), recentPolls: createRecentPolls() };
    const noLinger = createWatchedVideos({ ...options, freshForMs: 700, lingerMs: 0 });
    const alwaysAsk = createWatchedVideos({ ...options, freshForMs: 0, lingerMs: 60_000 });
    try {
      expect(noLinger.statusFreshForMs).toBe(700);
      expect(alwaysAsk.statusFreshForMs).toBe(0);
    } finally {
      noLinger.close();
      alwaysAsk.close();
    }
  });
});
