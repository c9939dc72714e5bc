import { access } from 'node:fs/promises';
import path from 'node:path';
import { soraGenerations, videos } from '@sora-monitor/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CANNOT_RESET_COMPLETED_MESSAGE,
  DELETE_WHILE_ACTIVE_MESSAGE,
  GENERATION_ALREADY_ACTIVE_MESSAGE,
  MAX_BULK_VIDEOS,
  RETRY_COMPLETED_MESSAGE,
  RETRY_NEVER_STARTED_MESSAGE,
} from '../../src/domain';
import { expectTRPCError, pollStatus, RANDOM_VIDEO_ID, startHarness, type Harness, type TestUser } from './harness';

/*
 * videos.bulk: retry, reset or delete several videos in one request, each through the rules of its single-video
 * procedure, with outcomes per video. Prices: sora-2 at 720x1280 is $0.10 a second (4 s = $0.40, 12 s = $1.20);
 * the daily cap here is $4.00, so three 12-second starts fit and a fourth does not.
 */

const CAP_USD = 4;
const LONG = '[sim:duration=60000]';
const FAILS = '[sim:fail=moderation_blocked] [sim:duration=100]';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ settings: { dailySpendCapUsd: CAP_USD } });
});
afterAll(() => h?.close());

const creates = () => h.sim.requests().filter((entry) => entry.method === 'POST' && entry.path === '/v1/videos');

async function video(user: TestUser, prompt: string, seconds: 4 | 12 = 4) {
  return user.caller.videos.create({ prompt, model: 'sora-2', size: '720x1280', seconds });
}

async function started(user: TestUser, prompt: string, seconds: 4 | 12 = 4) {
  const created = await video(user, prompt, seconds);
  await user.caller.sora.generate({ videoId: created.id });
  return created;
}

async function finished(user: TestUser, prompt: string, status: 'failed' | 'completed', seconds: 4 | 12 = 4) {
  const created = await started(user, prompt, seconds);
  await pollStatus(user.caller, created.id, [status]);
  return created;
}

const statusOf = async (user: TestUser, videoId: string) => (await user.caller.videos.get({ videoId })).generation.status;

describe('videos.bulk retry', () => {
  it('starts each failed video, refuses the others with the reason sora.retry gives, in the order asked', async () => {
    const ada = await h.signUp('ada');
    const first = await finished(ada, `First ${FAILS}`, 'failed');
    const second = await finished(ada, `Second ${FAILS}`, 'failed');
    const running = await started(ada, `Cat video ${LONG}`);
    const done = await finished(ada, 'Done [sim:duration=100]', 'completed');
    const fresh = await video(ada, 'Never started');
    const createsBefore = creates().length;

    const answer = await ada.caller.videos.bulk({ action: 'retry', videoIds: [first.id, running.id, second.id, done.id, fresh.id] });

    expect(answer.action).toBe('retry');
    expect(answer.outcomes).toEqual([
      { videoId: first.id, title: first.title, done: true },
      { videoId: running.id, title: 'Cat video [sim:duration=60000]', done: false, code: 'CONFLICT', message: GENERATION_ALREADY_ACTIVE_MESSAGE },
      { videoId: second.id, title: second.title, done: true },
      { videoId: done.id, title: done.title, done: false, code: 'BAD_REQUEST', message: RETRY_COMPLETED_MESSAGE },
      { videoId: fresh.id, title: fresh.title, done: false, code: 'BAD_REQUEST', message: RETRY_NEVER_STARTED_MESSAGE },
    ]);
    expect(answer.summary).toBe(
      `2 retried; 3 refused: “Cat video [sim:duration=60000]”: ${GENERATION_ALREADY_ACTIVE_MESSAGE.slice(0, -1)}; ` +
        `“${done.title}”: ${RETRY_COMPLETED_MESSAGE.slice(0, -1)}; “${fresh.title}”: ${RETRY_NEVER_STARTED_MESSAGE.slice(0, -1)}.`,
    );
    expect(creates()).toHaveLength(createsBefore + 2);
    expect(await statusOf(ada, first.id)).toBe('queued');
    expect(await statusOf(ada, second.id)).toBe('queued');
    expect(await statusOf(ada, done.id)).toBe('completed');
    // Each refusal is word for word what the single-video procedure answers for that video.
    for (const outcome of answer.outcomes) {
      if (outcome.done) continue;
      const { error } = await expectTRPCError(() => ada.caller.sora.retry({ videoId: outcome.videoId }));
      expect({ code: error.code, message: error.message }).toEqual({ code: outcome.code, message: outcome.message });
    }
  });

  it('counts the daily spend cap per start: of ten failed videos that only three fit, starts three and refuses seven naming the cap', async () => {
    const ada = await h.signUp('ada');
    // Failed by moderation while rendering: not billed, so none of them counts toward today's spending yet.
    const failed = [];
    // One at a time: a job counts until it has failed.
    for (let n = 1; n <= 10; n++) failed.push(await finished(ada, `Clip ${n} ${FAILS}`, 'failed', 12));
    expect((await ada.caller.sora.spendToday()).spentUsd).toBe(0);
    const createsBefore = creates().length;

    const answer = await ada.caller.videos.bulk({ action: 'retry', videoIds: failed.map((clip) => clip.id) });

    expect(answer.outcomes.filter((outcome) => outcome.done).map((outcome) => outcome.videoId)).toEqual(failed.slice(0, 3).map((clip) => clip.id));
    const refused = answer.outcomes.filter((outcome) => !outcome.done);
    expect(refused.map((outcome) => outcome.videoId)).toEqual(failed.slice(3).map((clip) => clip.id));
    for (const outcome of refused) {
      expect(outcome).toMatchObject({
        code: 'FORBIDDEN',
        message:
          'Daily spending limit reached: you have used $3.60 of your $4.00 limit today and this video would cost $1.20. ' +
          'The limit resets at 00:00 UTC.',
      });
    }
    expect(answer.summary).toMatch(/^3 retried; 7 refused: “Clip 4 .*”: Daily spending limit reached: /);
    expect(creates()).toHaveLength(createsBefore + 3);
    expect((await ada.caller.sora.spendToday()).spentUsd).toBeCloseTo(3.6, 5);
    const attempts = await h.db.db.select().from(soraGenerations).where(eq(soraGenerations.userId, ada.id));
    expect(attempts).toHaveLength(13);
    for (const clip of failed.slice(3)) expect(await statusOf(ada, clip.id)).toBe('failed');
  });
});

describe('videos.bulk reset', () => {
  it('resets active and failed videos and refuses a completed one, as sora.reset does', async () => {
    const ada = await h.signUp('ada');
    const running = await started(ada, `Running ${LONG}`);
    const failed = await finished(ada, `Failed ${FAILS}`, 'failed');
    const done = await finished(ada, 'Done [sim:duration=100]', 'completed');

    const answer = await ada.caller.videos.bulk({ action: 'reset', videoIds: [running.id, failed.id, done.id] });

    expect(answer.outcomes).toEqual([
      { videoId: running.id, title: running.title, done: true },
      { videoId: failed.id, title: failed.title, done: true },
      { videoId: done.id, title: done.title, done: false, code: 'BAD_REQUEST', message: CANNOT_RESET_COMPLETED_MESSAGE },
    ]);
    expect(answer.summary).toBe(`2 reset; 1 refused: “${done.title}”: ${CANNOT_RESET_COMPLETED_MESSAGE}.`);
    expect(await statusOf(ada, running.id)).toBe('not_started');
    expect(await statusOf(ada, failed.id)).toBe('not_started');
    const history = await ada.caller.sora.history({ videoId: running.id });
    expect(history.events[0]).toMatchObject({ type: 'reset', actor: 'user', fromStatus: 'queued', toStatus: 'not_started' });
    // A reset video can be retried, in bulk too.
    const retried = await ada.caller.videos.bulk({ action: 'retry', videoIds: [running.id, failed.id] });
    expect(retried.summary).toBe('2 retried.');
  });
});

describe('videos.bulk delete', () => {
  it('deletes finished videos with their files, keeps a generating one, and reports unknown ids as not found', async () => {
    const ada = await h.signUp('ada');
    const done = await finished(ada, 'Kept until now [sim:duration=100]', 'completed');
    const failed = await finished(ada, `Failed ${FAILS}`, 'failed');
    const running = await started(ada, `Cat video ${LONG}`);
    const [row] = await h.db.db.select().from(videos).where(eq(videos.id, done.id));
    const file = path.join(h.blobDir, row!.blobKey!);
    await access(file);

    const answer = await ada.caller.videos.bulk({ action: 'delete', videoIds: [done.id, running.id, RANDOM_VIDEO_ID, failed.id] });

    expect(answer.outcomes).toEqual([
      { videoId: done.id, title: done.title, done: true },
      { videoId: running.id, title: 'Cat video [sim:duration=60000]', done: false, code: 'CONFLICT', message: DELETE_WHILE_ACTIVE_MESSAGE },
      { videoId: RANDOM_VIDEO_ID, title: null, done: false, code: 'NOT_FOUND', message: 'Video not found' },
      { videoId: failed.id, title: failed.title, done: true },
    ]);
    expect(answer.summary).toBe(
      `2 deleted; 2 refused: “Cat video [sim:duration=60000]”: This video is still generating. Reset it first, then delete it; ` +
        `video ${RANDOM_VIDEO_ID}: Video not found.`,
    );
    await expect(access(file)).rejects.toMatchObject({ code: 'ENOENT' });
    const left = await ada.caller.videos.list({});
    expect(left.items.map((item) => item.id)).toEqual([running.id]);
    const { error } = await expectTRPCError(() => ada.caller.videos.delete({ videoId: running.id }));
    expect(error.message).toBe(DELETE_WHILE_ACTIVE_MESSAGE);
  });

  it("never touches another user's video: reported not found with no title, like an id that names nothing", async () => {
    const ada = await h.signUp('ada');
    const mallory = await h.signUp('mallory');
    const adas = await finished(ada, 'Ada’s private clip [sim:duration=100]', 'completed');
    const own = await video(mallory, 'Mallory’s own');

    const answer = await mallory.caller.videos.bulk({ action: 'delete', videoIds: [adas.id, own.id] });

    expect(answer.outcomes).toEqual([
      { videoId: adas.id, title: null, done: false, code: 'NOT_FOUND', message: 'Video not found' },
      { videoId: own.id, title: own.title, done: true },
    ]);
    expect(answer.summary).not.toContain('private');
    expect(await statusOf(ada, adas.id)).toBe('completed');
  });
});

describe('videos.bulk input', () => {
  it.each([
    ['no ids', { action: 'delete', videoIds: [] }, 'videoIds', 'videoIds must name at least one video'],
    ['the same id twice', { action: 'delete', videoIds: [RANDOM_VIDEO_ID, RANDOM_VIDEO_ID] }, 'videoIds', 'videoIds must not name a video twice'],
    ['one id twice in another letter case', { action: 'reset', videoIds: [RANDOM_VIDEO_ID, RANDOM_VIDEO_ID.toUpperCase()] }, 'videoIds', 'videoIds must not name a video twice'],
    [`more than ${MAX_BULK_VIDEOS} ids`, { action: 'retry', videoIds: Array.from({ length: MAX_BULK_VIDEOS + 1 }, (_, n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`) }, 'videoIds', `videoIds must name at most ${MAX_BULK_VIDEOS} videos`],
    ['an id that is not a UUID', { action: 'retry', videoIds: ['not-a-uuid'] }, 'videoIds', 'videoIds must be UUIDs'],
    ['an unknown action', { action: 'publish', videoIds: [RANDOM_VIDEO_ID] }, 'action', 'action must be one of retry, reset, delete'],
  ])('refuses %s with BAD_REQUEST naming the field', async (_case, input, field, message) => {
    const ada = await h.signUp('ada');
    const { error, shape } = await expectTRPCError(() => ada.caller.videos.bulk(input as never));
    expect(error.code).toBe('BAD_REQUEST');
    const fieldErrors = (shape.data as { zodError: { fieldErrors: Record<string, string[]> } }).zodError.fieldErrors;
    expect(fieldErrors[field]).toContain(message);
  });

  it(`takes exactly ${MAX_BULK_VIDEOS} ids`, async () => {
    const ada = await h.signUp('ada');
    const ids = Array.from({ length: MAX_BULK_VIDEOS }, (_, n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);
    const answer = await ada.caller.videos.bulk({ action: 'delete', videoIds: ids });
    expect(answer.outcomes).toHaveLength(MAX_BULK_VIDEOS);
    expect(answer.summary).toMatch(/^0 deleted; 100 refused: /);
  });
});
