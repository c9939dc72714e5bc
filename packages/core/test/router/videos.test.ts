import { access } from 'node:fs/promises';
import path from 'node:path';
import { getVideoForUser } from '@sora-monitor/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTRPCError, pollStatus, startHarness, startVideo, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe('videos', () => {
  it('creates a video with defaults and a title from the prompt', async () => {
    const ada = await h.signUp('ada');
    const video = await ada.caller.videos.create({ prompt: '  A dog on a skateboard\nsecond line  ' });
    expect(video).toMatchObject({
      title: 'A dog on a skateboard',
      prompt: 'A dog on a skateboard\nsecond line',
      model: 'sora-2',
      size: '720x1280',
      seconds: 4,
      generation: { status: 'not_started', videoUrl: null, jobId: null },
    });
    expect(await ada.caller.videos.get({ videoId: video.id })).toEqual(video);
  });

  it('lists newest first, in pages joined by a cursor, and filters by status', async () => {
    const ada = await h.signUp('ada');
    const created = [];
    for (let i = 0; i < 5; i++)
      created.push(await ada.caller.videos.create({ prompt: `Video ${i} [sim:duration=60000]` }));
    const newestFirst = created.map((video) => video.id).reverse();

    const seen: string[] = [];
    let cursor: string | null = null;
    const pageSizes: number[] = [];
    do {
      const page: Awaited<ReturnType<typeof ada.caller.videos.list>> = await ada.caller.videos.list({
        limit: 2,
        cursor,
      });
      pageSizes.push(page.items.length);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pageSizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(newestFirst);

    await ada.caller.sora.generate({ videoId: created[1]!.id });
    await ada.caller.sora.generate({ videoId: created[3]!.id });
    const queued = await ada.caller.videos.list({ status: 'queued' });
    expect(queued.items.map((item) => item.id)).toEqual([created[3]!.id, created[1]!.id]);
    expect(queued.items.every((item) => item.generation.status === 'queued')).toBe(true);
    expect(queued.nextCursor).toBeNull();

    const queuedPage = await ada.caller.videos.list({ status: 'queued', limit: 1 });
    expect(queuedPage.items.map((item) => item.id)).toEqual([created[3]!.id]);
    const rest = await ada.caller.videos.list({ status: 'queued', limit: 1, cursor: queuedPage.nextCursor });
    expect(rest.items.map((item) => item.id)).toEqual([created[1]!.id]);
    expect(rest.nextCursor).toBeNull();

    const notStarted = await ada.caller.videos.list({ status: 'not_started' });
    expect(notStarted.items).toHaveLength(3);
    expect((await ada.caller.videos.list({ status: 'completed' })).items).toEqual([]);
  });

  it('refuses to delete a video while its generation is active, and deletes it (and its files) otherwise', async () => {
    const ada = await h.signUp('ada');
    const { video } = await startVideo(ada.caller, 'To be deleted');
    const { error } = await expectTRPCError(() => ada.caller.videos.delete({ videoId: video.id }));
    expect(error.code).toBe('CONFLICT');
    expect(await getVideoForUser(h.db.db, ada.id, video.id)).not.toBeNull();

    await pollStatus(ada.caller, video.id, ['completed']);
    const row = await getVideoForUser(h.db.db, ada.id, video.id);
    const file = path.join(h.blobDir, row!.blobKey!);
    expect(await exists(file)).toBe(true);

    expect(await ada.caller.videos.delete({ videoId: video.id })).toEqual({ success: true });
    expect(await getVideoForUser(h.db.db, ada.id, video.id)).toBeNull();
    expect(await exists(file)).toBe(false);
    expect((await expectTRPCError(() => ada.caller.videos.get({ videoId: video.id }))).error.code).toBe(
      'NOT_FOUND',
    );
  });
});

describe('sora.history', () => {
  it('lists the attempts and the audit events, newest first', async () => {
    const ada = await h.signUp('ada');
    const { video, started } = await startVideo(ada.caller, 'Tried twice [sim:fail=timeout]');
    await pollStatus(ada.caller, video.id, ['failed']);
    await ada.caller.sora.reset({ videoId: video.id });
    const second = await ada.caller.sora.generate({ videoId: video.id });

    const history = await ada.caller.sora.history({ videoId: video.id });
    expect(history.attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.jobId])).toEqual([
      [2, 'queued', second.jobId],
      [1, 'failed', started.jobId],
    ]);
    expect(history.attempts[1]).toMatchObject({
      errorCode: 'timeout',
      errorMessage: 'Video generation timed out before it could finish.',
    });

    const ids = history.events.map((event) => event.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const types = history.events.map((event) => event.type);
    expect(types.at(-1)).toBe('created');
    expect(types.slice(0, 3)).toEqual(['job_created', 'generation_requested', 'reset']);
    expect(types).toContain('status_changed');
    const failed = history.events.find((event) => event.toStatus === 'failed');
    expect(failed).toMatchObject({
      // Seen by a status check (pollStatus): a background check, not something the user did.
      actor: 'poller',
      fromStatus: expect.any(String),
      message: 'Generation failed: Video generation timed out before it could finish.',
    });
    for (const event of history.events) {
      expect(event.videoId).toBe(video.id);
      expect(Number.isNaN(Date.parse(event.createdAt))).toBe(false);
    }
  });

  it('reports past durations of everyone\'s generations like this one only aggregated: one median to the second, from 3 samples', async () => {
    const ada = await h.signUp('ada');
    const bob = await h.signUp('bob');
    // Upstream timestamps are whole seconds: a job of 1.1 s spans at least one second boundary.
    const { video: bobs } = await startVideo(bob.caller, 'Timed [sim:duration=1100]', { seconds: 12, size: '1280x720' });
    const other = await ada.caller.videos.create({ prompt: 'Same settings, not started', seconds: 12, size: '1280x720' });
    await pollStatus(bob.caller, bobs.id, ['completed']);
    // One sample is Bob's own timing: Ada learns nothing from it.
    expect(await ada.caller.sora.pastDurations({ videoId: other.id })).toEqual({ durationsMs: [] });

    for (let n = 0; n < 2; n++) {
      const { video } = await startVideo(ada.caller, `Timed ${n} [sim:duration=1100]`, { seconds: 12, size: '1280x720' });
      await pollStatus(ada.caller, video.id, ['completed']);
    }
    const { durationsMs } = await ada.caller.sora.pastDurations({ videoId: other.id });
    expect(durationsMs).toHaveLength(1);
    expect(durationsMs[0]! % 1_000).toBe(0);
    expect(durationsMs[0]).toBeGreaterThanOrEqual(1_000);
    expect(durationsMs[0]).toBeLessThanOrEqual(2_000);
  });
});
