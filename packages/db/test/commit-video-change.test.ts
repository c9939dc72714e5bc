import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commitVideoChange,
  insertGeneration,
  listEventsForVideo,
  listGenerationsForVideo,
  soraGenerations,
  USER_WEBHOOK_QUEUED_CHANNEL,
  userWebhookDeliveries,
  userWebhookEndpoints,
  VIDEO_CHANGED_CHANNEL,
  videos,
  type Database,
  type DbHandle,
  type Video,
  type VideoChange,
} from '../src';
import { createTestDb, testDbKind, type TestDb } from '../src/testing';
import { Inbox } from './support/deferred';
import { createUser, createVideo, newAttempt } from './support/fixtures';

describe(`committing a video change (${testDbKind()})`, () => {
  let testDb: TestDb;
  let handle: DbHandle;
  let db: Database;
  const statements: string[] = [];
  beforeAll(async () => {
    testDb = await createTestDb({ onQuery: (query) => statements.push(query) });
    handle = testDb.handle;
    db = handle.db;
  });
  afterAll(() => testDb.cleanup());

  /** A queued video with its first attempt, leased by `worker-1`. */
  async function queuedVideo(): Promise<{ video: Video; generationId: string }> {
    const userId = await createUser(db);
    const created = await createVideo(db, userId);
    const generation = await insertGeneration(db, newAttempt(created, 1, { jobId: `video_${created.id}` }));
    const [video] = await db
      .update(videos)
      .set({ soraGenerationStatus: 'queued', soraJobId: generation.jobId, leaseOwner: 'worker-1' })
      .where(eq(videos.id, created.id))
      .returning();
    return { video: video!, generationId: generation.id };
  }

  function progressChange(
    video: Video,
    generationId: string,
    overrides: Partial<VideoChange> = {},
  ): VideoChange {
    return {
      videoId: video.id,
      userId: video.userId,
      generationId,
      actor: 'poller',
      expect: { status: 'queued', jobId: video.soraJobId, leaseOwner: 'worker-1' },
      set: {
        soraGenerationStatus: 'in_progress',
        soraProgress: 40,
        progressChangedAt: new Date('2026-03-01T12:00:00.000Z'),
      },
      generationSet: { status: 'in_progress', progress: 40 },
      events: [
        {
          type: 'status_changed',
          fromStatus: 'queued',
          toStatus: 'in_progress',
          message: 'Generating',
          data: null,
        },
        {
          type: 'progress',
          fromStatus: null,
          toStatus: 'in_progress',
          message: 'Progress 40%',
          data: { progress: 40, note: 'it’s "quoted"' },
        },
      ],
      ...overrides,
    };
  }

  it('writes the row, the attempt, the events in order and the announcement in one statement', async () => {
    const { video, generationId } = await queuedVideo();
    const inbox = new Inbox<string>();
    const unlisten = await handle.listen(VIDEO_CHANGED_CHANNEL, inbox.push);
    statements.length = 0;

    const committed = await commitVideoChange(db, progressChange(video, generationId));

    expect(statements).toHaveLength(1);
    expect(committed?.video).toMatchObject({
      id: video.id,
      soraGenerationStatus: 'in_progress',
      soraProgress: 40,
      leaseOwner: 'worker-1',
    });
    // Typed like any other read of the row: dates as Dates, numbers as numbers.
    expect(committed?.video.progressChangedAt).toEqual(new Date('2026-03-01T12:00:00.000Z'));
    expect(committed?.video.updatedAt).toBeInstanceOf(Date);
    expect(committed?.video.updatedAt.getTime()).toBeGreaterThan(video.updatedAt.getTime());
    expect(committed?.video.seconds).toBe(video.seconds);

    const events = await listEventsForVideo(db, video.id);
    expect(committed?.eventIds).toEqual(events.map((event) => event.id).reverse());
    expect(committed!.eventIds[0]).toBeLessThan(committed!.eventIds[1]!);
    expect(events.reverse()).toMatchObject([
      {
        type: 'status_changed',
        fromStatus: 'queued',
        toStatus: 'in_progress',
        actor: 'poller',
        generationId,
        userId: video.userId,
      },
      {
        type: 'progress',
        fromStatus: null,
        toStatus: 'in_progress',
        data: { progress: 40, note: 'it’s "quoted"' },
      },
    ]);
    expect((await listGenerationsForVideo(db, video.id))[0]).toMatchObject({
      id: generationId,
      status: 'in_progress',
      progress: 40,
    });
    await inbox.waitFor((payload) => JSON.parse(payload).videoId === video.id);
    expect(inbox.items.map((payload) => JSON.parse(payload))).toEqual([
      { videoId: video.id, userId: video.userId },
    ]);
    await unlisten();
  });

  it('changes of one shape share a statement; a value and a null of the same field are told apart', async () => {
    const { video, generationId } = await queuedVideo();
    const change = (set: VideoChange['set']) =>
      commitVideoChange(db, {
        ...progressChange(video, generationId),
        expect: { status: 'queued', jobId: video.soraJobId },
        set,
        generationSet: undefined,
        events: [],
      });

    const retryAt = new Date('2026-03-01T12:10:00.000Z');
    expect(
      (await change({ lastPollError: 'Service unavailable', autoRetryAt: retryAt }))?.video,
    ).toMatchObject({ lastPollError: 'Service unavailable', autoRetryAt: retryAt });
    expect((await change({ lastPollError: 'Timed out', autoRetryAt: null }))?.video).toMatchObject({
      lastPollError: 'Timed out',
      autoRetryAt: null,
    });
    expect((await change({ lastPollError: null, autoRetryAt: retryAt }))?.video).toMatchObject({
      lastPollError: null,
      autoRetryAt: retryAt,
    });
    expect((await change({ lastPollError: 'Again', autoRetryAt: undefined }))?.video).toMatchObject({
      lastPollError: 'Again',
      autoRetryAt: retryAt,
    });
    const [row] = await db.select().from(videos).where(eq(videos.id, video.id));
    expect(row).toMatchObject({
      lastPollError: 'Again',
      autoRetryAt: retryAt,
      soraGenerationStatus: 'queued',
    });
  });

  it('writes nothing and announces nothing when the guard no longer holds', async () => {
    const { video, generationId } = await queuedVideo();
    const inbox = new Inbox<string>();
    const unlisten = await handle.listen(VIDEO_CHANGED_CHANNEL, inbox.push);

    const stale = progressChange(video, generationId, {
      expect: { status: 'queued', jobId: video.soraJobId, leaseOwner: 'worker-2' },
    });
    expect(await commitVideoChange(db, stale)).toBeNull();

    const [row] = await db.select().from(videos).where(eq(videos.id, video.id));
    expect(row).toEqual(video);
    expect(await listEventsForVideo(db, video.id)).toEqual([]);
    const [attempt] = await db.select().from(soraGenerations).where(eq(soraGenerations.id, generationId));
    expect(attempt).toMatchObject({ status: 'queued', progress: 0 });
    // A later change of the same video is announced; the refused one never was.
    await commitVideoChange(db, progressChange(video, generationId));
    await inbox.waitFor((payload) => JSON.parse(payload).videoId === video.id);
    expect(inbox.items.filter((payload) => JSON.parse(payload).videoId === video.id)).toHaveLength(1);
    await unlisten();
  });

  it('a change without events is written but not announced', async () => {
    const { video, generationId } = await queuedVideo();
    const inbox = new Inbox<string>();
    const unlisten = await handle.listen(VIDEO_CHANGED_CHANNEL, inbox.push);

    const quiet = progressChange(video, generationId, {
      set: { nextPollAt: new Date('2026-03-01T12:05:00.000Z') },
      generationSet: undefined,
      events: [],
    });
    const committed = await commitVideoChange(db, quiet);
    expect(committed).toMatchObject({
      eventIds: [],
      video: { soraGenerationStatus: 'queued', nextPollAt: new Date('2026-03-01T12:05:00.000Z') },
    });

    // Notifications arrive in commit order: once a later one is here, one for the quiet change would have been too.
    await commitVideoChange(db, progressChange(video, generationId));
    await inbox.waitFor((payload) => JSON.parse(payload).videoId === video.id);
    expect(inbox.items.filter((payload) => JSON.parse(payload).videoId === video.id)).toHaveLength(1);
    await unlisten();
  });

  it('queues outgoing webhooks from the committed row in the same transaction, and none if that fails', async () => {
    const { video, generationId } = await queuedVideo();
    await db.insert(userWebhookEndpoints).values({
      userId: video.userId,
      url: 'https://example.test/hook',
      secret: 'whsec_test',
      events: ['video.completed'],
    });
    const queued = new Inbox<string>();
    const unlisten = await handle.listen(USER_WEBHOOK_QUEUED_CHANNEL, queued.push);
    const completion = (outgoingWebhooks: VideoChange['outgoingWebhooks']) =>
      progressChange(video, generationId, {
        set: { soraGenerationStatus: 'completed', soraProgress: 100 },
        generationSet: { status: 'completed', progress: 100 },
        events: [
          {
            type: 'status_changed',
            fromStatus: 'queued',
            toStatus: 'completed',
            message: 'Ready',
            data: null,
          },
        ],
        outgoingWebhooks,
      });

    await expect(
      commitVideoChange(
        db,
        completion(() => {
          throw new Error('no payload');
        }),
      ),
    ).rejects.toThrow('no payload');
    const [unchanged] = await db.select().from(videos).where(eq(videos.id, video.id));
    expect(unchanged?.soraGenerationStatus).toBe('queued');
    expect(await listEventsForVideo(db, video.id)).toEqual([]);

    const seen: Video[] = [];
    const committed = await commitVideoChange(
      db,
      completion((row) => {
        seen.push(row);
        return [{ type: 'video.completed', payload: JSON.stringify({ status: row.soraGenerationStatus }) }];
      }),
    );
    expect(seen).toEqual([committed?.video]);
    const deliveries = await db
      .select()
      .from(userWebhookDeliveries)
      .where(eq(userWebhookDeliveries.videoId, video.id));
    expect(deliveries).toMatchObject([{ eventType: 'video.completed', payload: '{"status":"completed"}' }]);
    await queued.waitFor(() => true);
    await unlisten();
  });
});
