import { getEventListeners } from 'node:events';
import { createDb, getVideoForUser, listEventsForVideo } from '@sora-monitor/db';
import { commitNoteChange, testDbKind } from '@sora-monitor/db/testing';
import { isTrackedEnvelope } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createCaller } from '../../src';
import { pollStatus, startHarness, startVideo, type Harness, type TestUser, type VideoView } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

interface Update {
  id: string;
  event: {
    id: number;
    videoId: string;
    type: string;
    toStatus: string | null;
    message: string | null;
  } | null;
  video: VideoView;
}

/** Opens sora.onUpdate as a client would and reads it update by update; closed when the test ends. */
async function subscribe(user: TestUser, input: { videoId?: string; lastEventId?: string }) {
  const controller = new AbortController();
  const caller = h.callerFor(user, { signal: controller.signal });
  const iterator = (await caller.sora.onUpdate(input))[Symbol.asyncIterator]();
  onTestFinished(async () => {
    controller.abort();
    await iterator.return?.();
  });

  let pending: Promise<IteratorResult<unknown>> | null = null;
  const next = async (timeoutMs = 10_000): Promise<Update> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no update within ${timeoutMs} ms`)), timeoutMs);
    });
    // A read that timed out is still pending: the next call must take its result rather than ask again.
    pending ??= iterator.next();
    try {
      const result = await Promise.race([pending, timeout]);
      pending = null;
      if (result.done) throw new Error('the subscription ended');
      const value: unknown = result.value;
      if (!isTrackedEnvelope(value)) throw new Error('updates must be tracked (they carry an event id)');
      const [id, data] = value as unknown as [string, Omit<Update, 'id'>];
      return { id, ...data };
    } finally {
      clearTimeout(timer);
    }
  };
  /** Reads updates until one satisfies `done`; returns all of them. */
  const until = async (done: (update: Update) => boolean, timeoutMs = 15_000): Promise<Update[]> => {
    const seen: Update[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const update = await next(Math.max(1, deadline - Date.now()));
      seen.push(update);
      if (done(update)) return seen;
    }
  };
  /** True if no update arrives within `ms`. */
  const quietFor = async (ms: number) => {
    try {
      const update = await next(ms);
      throw new Error(`unexpected update: ${JSON.stringify(update)}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('no update')) return true;
      throw error;
    }
  };
  return { next, until, quietFor, close: () => controller.abort() };
}

describe('sora.onUpdate', () => {
  it('sends a fresh watcher the current state, then every change of the generation as it happens', async () => {
    const ada = await h.signUp('ada');
    const video = await ada.caller.videos.create({ prompt: 'A hummingbird in slow motion' });
    const stream = await subscribe(ada, { videoId: video.id });

    const first = await stream.next();
    expect(first.event).toBeNull();
    expect(first.video).toMatchObject({ id: video.id, generation: { status: 'not_started' } });

    await ada.caller.sora.generate({ videoId: video.id });
    const polling = pollStatus(ada.caller, video.id, ['completed']);
    // Each update carries the video as it is when read, which may already be ahead of its event (completed while the
    // last download_progress event is delivered): follow the events to the one that completes it.
    const updates = await stream.until((update) => update.event?.type === 'status_changed' && update.event.toStatus === 'completed');
    await polling;

    const types = updates.map((update) => update.event?.type);
    expect(types.slice(0, 2)).toEqual(['generation_requested', 'job_created']);
    expect(types.at(-1)).toBe('status_changed');
    expect(updates.at(-1)?.event?.toStatus).toBe('completed');
    for (const update of updates) expect(update.id).toBe(String(update.event?.id));
    const ids = updates.map((update) => Number(update.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    // Exactly the video's audit trail since the subscription started, nothing skipped.
    const trail = (await listEventsForVideo(h.db.db, video.id)).map((event) => event.id).reverse();
    expect(ids).toEqual(trail.filter((id) => id > Number(first.id)));
  });

  it("carries every change to the user's videos on a user-wide stream, and none of another user's", async () => {
    const ada = await h.signUp('ada');
    const mallory = await h.signUp('mallory');
    // A new user has no events, so resuming after event 0 is "from the very beginning": no race with the changes
    // below, whenever the stream's first read happens.
    const adaStream = await subscribe(ada, { lastEventId: '0' });
    const malloryStream = await subscribe(mallory, { lastEventId: '0' });

    // A new video alone (no generation yet) must reach the stream too.
    const one = await ada.caller.videos.create({ prompt: 'First [sim:duration=60000]' });
    expect(await adaStream.next()).toMatchObject({
      event: { type: 'created', videoId: one.id },
      video: { id: one.id },
    });

    const two = await ada.caller.videos.create({ prompt: 'Second [sim:duration=60000]' });
    await ada.caller.sora.generate({ videoId: two.id });
    const updates = await adaStream.until((update) => update.event?.type === 'job_created');
    expect(updates.map((update) => [update.video.id, update.event?.type])).toEqual([
      [two.id, 'created'],
      [two.id, 'generation_requested'],
      [two.id, 'job_created'],
    ]);
    expect(await malloryStream.quietFor(150)).toBe(true);

    const hers = await mallory.caller.videos.create({ prompt: 'Her own' });
    expect((await malloryStream.next()).video.id).toBe(hers.id);
  });

  it('starts where the caller was told it started: a change committed before its first read still arrives', async () => {
    const ada = await h.signUp('ada');
    await ada.caller.videos.create({ prompt: 'Before the stream' });
    // The procedure has answered (over HTTP: the stream's "connected"), and nothing has been read from the stream yet.
    const stream = await subscribe(ada, {});
    const video = await ada.caller.videos.create({ prompt: 'After it started, before its first read' });
    expect(await stream.next()).toMatchObject({ event: { type: 'created', videoId: video.id }, video: { id: video.id } });
  });

  it('follows on from a list answer: a stream started from its eventCursor gets the changes made since the list was read', async () => {
    const ada = await h.signUp('ada');
    const listed = await ada.caller.videos.create({ prompt: 'Listed' });
    const list = await ada.caller.videos.list({});
    expect(list.items.map((item) => item.id)).toEqual([listed.id]);
    const [created] = await listEventsForVideo(h.db.db, listed.id);
    expect(list.eventCursor).toBe(String(created!.id));

    // Made after the list was read, before any stream was open (or while the page's stream was reconnecting).
    const after = await ada.caller.videos.create({ prompt: 'Made after the list was read' });
    const stream = await subscribe(ada, { lastEventId: list.eventCursor });
    expect(await stream.next()).toMatchObject({ event: { type: 'created', videoId: after.id }, video: { id: after.id } });
  });

  it('delivers a change committed outside the router (another connection on PostgreSQL)', async () => {
    const ada = await h.signUp('ada');
    const video = await ada.caller.videos.create({ prompt: 'Changed elsewhere' });
    const stream = await subscribe(ada, { videoId: video.id });
    await stream.next(); // the current state

    // On PostgreSQL a second connection pool stands for another server instance: the NOTIFY must travel through the
    // database. In-memory PGlite has a single connection, so there the change goes through the same handle.
    let db = h.db.db;
    if (h.databaseUrl) {
      const other = await createDb({ databaseUrl: h.databaseUrl, max: 1, migrate: false });
      onTestFinished(() => other.close());
      db = other.db;
    }
    const committed = await commitNoteChange(db, { videoId: video.id, userId: ada.id, title: 'Renamed by another instance', message: 'from another instance' });
    expect(committed).not.toBeNull();

    const update = await stream.next();
    expect(update.id).toBe(String(committed!.eventIds[0]));
    expect(update.event).toMatchObject({ type: 'note', message: 'from another instance' });
    expect(update.video.title).toBe('Renamed by another instance');
  });

  it.runIf(testDbKind() === 'postgres')(
    'delivers a router change made by a second server instance',
    async () => {
      const ada = await h.signUp('ada');
      const video = await ada.caller.videos.create({ prompt: 'Two servers [sim:duration=60000]' });
      const stream = await subscribe(ada, { videoId: video.id });
      await stream.next();

      // A whole second set of services on its own connection pool, as a second server process would have.
      const other = await createDb({ databaseUrl: h.databaseUrl!, max: 2, migrate: false });
      onTestFinished(() => other.close());
      const secondServer = await h.secondInstance({ database: other });
      const user = { id: ada.id, email: ada.email, name: ada.name, via: 'session' as const };
      const remote = createCaller({
        ...secondServer,
        user,
        headers: new Headers(),
        reauthenticate: () => Promise.resolve(user),
        logger: secondServer.generations.logger,
      });
      await remote.sora.generate({ videoId: video.id });

      const updates = await stream.until((update) => update.event?.type === 'job_created');
      expect(updates.map((update) => update.event?.type)).toEqual(['generation_requested', 'job_created']);
      expect(updates.at(-1)?.video.generation.status).toBe('queued');
    },
  );

  it('resumes after lastEventId without missing anything that happened while disconnected', async () => {
    const ada = await h.signUp('ada');
    const { video } = await startVideo(ada.caller, 'Interrupted viewer [sim:duration=60000]');
    const first = await subscribe(ada, { videoId: video.id });
    const seen = await first.next();
    first.close();

    // Changes while nobody listens.
    await ada.caller.sora.reset({ videoId: video.id });
    await ada.caller.sora.generate({ videoId: video.id });
    await ada.caller.videos.create({ prompt: 'Another video of hers' });

    const resumed = await subscribe(ada, { videoId: video.id, lastEventId: seen.id });
    const updates = await resumed.until((update) => update.event?.type === 'job_created');
    const missed = (await listEventsForVideo(h.db.db, video.id))
      .filter((event) => event.id > Number(seen.id))
      .reverse();
    expect(updates.map((update) => update.event?.id)).toEqual(missed.map((event) => event.id));
    expect(updates.map((update) => update.event?.type)).toEqual([
      'reset',
      'generation_requested',
      'job_created',
    ]);
    // Each update carries the state as re-read from the database.
    const current = await getVideoForUser(h.db.db, ada.id, video.id);
    expect(updates.at(-1)?.video.generation.jobId).toBe(current?.soraJobId);
  });

  it('holds no stream slot for a request that was gone before its stream was set up', async () => {
    const ada = await h.signUp('ada');
    const video = await ada.caller.videos.create({ prompt: 'Closed before it opened' });
    const controller = new AbortController();
    controller.abort();
    // Set up but never read: the request is gone, as the HTTP stream writer then sees it.
    await h.callerFor(ada, { signal: controller.signal }).sora.onUpdate({ videoId: video.id });
    expect(h.services.userCaps.openSubscriptions(ada.id)).toBe(0);
  });

  it('leaves no listener on a long-lived signal once its streams have ended (one caller, many streams)', async () => {
    const ada = await h.signUp('ada');
    const video = await ada.caller.videos.create({ prompt: 'Watched again and again' });
    // One signal for the caller's life, as an in-process client (the CLI, a script) holds it: each stream that ends
    // must take its own listener off, or they pile up stream by stream.
    const controller = new AbortController();
    onTestFinished(() => controller.abort());
    const caller = h.callerFor(ada, { signal: controller.signal });
    const before = getEventListeners(controller.signal, 'abort').length;
    for (let round = 0; round < 12; round += 1) {
      const iterator = (await caller.sora.onUpdate({ videoId: video.id }))[Symbol.asyncIterator]();
      expect((await iterator.next()).done).toBe(false);
      await iterator.return?.();
    }
    expect(getEventListeners(controller.signal, 'abort').length).toBe(before);
    expect(h.services.userCaps.openSubscriptions(ada.id)).toBe(0);
  });
});
