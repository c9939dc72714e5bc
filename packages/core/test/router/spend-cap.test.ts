import { soraEvents, soraGenerations } from '@sora-monitor/db';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDueRetries } from '../../src/worker';
import { expectTRPCError, pollStatus, startHarness, waitUntil, type Harness, type TestUser } from './harness';

/*
 * The daily spend cap, enforced where an attempt is recorded (beginGenerationAttempt), for user starts, retries and
 * automatic retries. Prices: sora-2 at 720x1280 is $0.10 a second, so 4 s = $0.40, 8 s = $0.80, 12 s = $1.20 (the cap).
 */

const CAP_USD = 1.2;
const LONG = '[sim:duration=60000]';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ settings: { dailySpendCapUsd: CAP_USD, retryBaseMs: 10 } });
});
afterAll(() => h?.close());

const creates = () =>
  h.sim.requests().filter((entry) => entry.method === 'POST' && entry.path === '/v1/videos');

async function video(user: TestUser, prompt: string, seconds: 4 | 8 | 12) {
  return user.caller.videos.create({ prompt, model: 'sora-2', size: '720x1280', seconds });
}

async function attemptsOf(userId: string) {
  return h.db.db.select().from(soraGenerations).where(eq(soraGenerations.userId, userId));
}

describe('daily spend cap', () => {
  it('refuses a start that would pass the cap with FORBIDDEN and the numbers, sending and recording nothing', async () => {
    const ada = await h.signUp('ada');
    for (const n of [1, 2, 3])
      await ada.caller.sora.generate({ videoId: (await video(ada, `Clip ${n} ${LONG}`, 4)).id });
    const fourth = await video(ada, `Clip 4 ${LONG}`, 4);
    const createsBefore = creates().length;

    const { error, shape } = await expectTRPCError(() => ada.caller.sora.generate({ videoId: fourth.id }));
    expect(error.code).toBe('FORBIDDEN');
    expect(shape.data.httpStatus).toBe(403);
    expect(error.message).toBe(
      'Daily spending limit reached: you have used $1.20 of your $1.20 limit today and this video would cost $0.40. ' +
        'The limit resets at 00:00 UTC.',
    );
    expect(creates()).toHaveLength(createsBefore);
    expect(await attemptsOf(ada.id)).toHaveLength(3);
    expect((await ada.caller.videos.get({ videoId: fourth.id })).generation.status).toBe('not_started');
  });

  it('allows a start that lands exactly on the cap, and counts per user', async () => {
    const ada = await h.signUp('ada');
    const bob = await h.signUp('bob');
    await ada.caller.sora.generate({ videoId: (await video(ada, `Ada 8 s ${LONG}`, 8)).id });
    await ada.caller.sora.generate({ videoId: (await video(ada, `Ada 4 s ${LONG}`, 4)).id }); // exactly $1.20
    const over = await video(ada, `Ada one more ${LONG}`, 4);
    await expect(ada.caller.sora.generate({ videoId: over.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // Bob's spending is his own: the whole $1.20 is still his.
    await expect(
      bob.caller.sora.generate({ videoId: (await video(bob, `Bob 12 s ${LONG}`, 12)).id }),
    ).resolves.toMatchObject({
      status: 'queued',
    });
  });

  it('does not count attempts that failed upstream before rendering (not billed) nor attempts from before today (UTC, database clock)', async () => {
    const ada = await h.signUp('ada');
    const failing = await video(ada, 'Blocked [sim:fail=moderation_blocked] [sim:duration=200]', 8);
    await ada.caller.sora.generate({ videoId: failing.id });
    await pollStatus(ada.caller, failing.id, ['failed']);
    // The failed $0.80 is not counted (else $1.60): another $0.80 fits under $1.20.
    await ada.caller.sora.generate({ videoId: (await video(ada, `Yesterday ${LONG}`, 8)).id });

    // Move the active attempt to yesterday: today's spending is back to $0, so another $0.80 fits (else $1.60).
    await h.db.db
      .update(soraGenerations)
      .set({ requestedAt: sql`now() - interval '1 day'` })
      .where(and(eq(soraGenerations.userId, ada.id), eq(soraGenerations.status, 'queued')));
    await expect(
      ada.caller.sora.generate({ videoId: (await video(ada, `Today ${LONG}`, 8)).id }),
    ).resolves.toMatchObject({
      status: 'queued',
    });
  });

  it('lets no burst of concurrent starts pass the cap together', async () => {
    const ada = await h.signUp('ada');
    const videos = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => video(ada, `Burst ${n} ${LONG}`, 4)));
    const createsBefore = creates().length;

    const results = await Promise.allSettled(videos.map((v) => ada.caller.sora.generate({ videoId: v.id })));
    const started = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result) => result.status === 'rejected');
    // $0.40 each under $1.20: exactly three fit.
    expect(started).toHaveLength(3);
    expect(refused).toHaveLength(3);
    for (const result of refused) expect(result.reason).toMatchObject({ code: 'FORBIDDEN' });
    expect(creates()).toHaveLength(createsBefore + 3);
    expect(await attemptsOf(ada.id)).toHaveLength(3);
  });

  it('fails an automatic retry that would pass the cap clearly, without sending anything upstream', async () => {
    const ada = await h.signUp('ada');
    const flaky = await video(ada, 'Flaky [sim:fail=internal_error] [sim:duration=200]', 4);
    await ada.caller.sora.generate({ videoId: flaky.id });
    const failed = await pollStatus(ada.caller, flaky.id, ['failed']);
    expect(failed.autoRetryAt).not.toBeNull();
    // Meanwhile $1.20 is spent elsewhere: the $0.40 retry would make $1.60.
    await ada.caller.sora.generate({ videoId: (await video(ada, `Meanwhile ${LONG}`, 12)).id });
    const createsBefore = creates().length;

    const after = await waitUntil(
      async () => {
        await startDueRetries(h.services.generations, 10);
        return ada.caller.sora.status({ videoId: flaky.id });
      },
      (view) => view.autoRetryAt === null,
    );
    expect(after.status).toBe('failed');
    expect(after.error).toBe(
      'The automatic retry was not started. Daily spending limit reached: you have used $1.20 of your $1.20 limit ' +
        'today and this video would cost $0.40. The limit resets at 00:00 UTC.',
    );
    expect(creates()).toHaveLength(createsBefore);
    const events = await h.db.db.select().from(soraEvents).where(eq(soraEvents.videoId, flaky.id));
    expect(events.filter((event) => event.type === 'auto_retry_refused')).toHaveLength(1);
  });

  it('keeps counting a job the user reset (it still runs and is billed), and history says which attempts count', async () => {
    const ada = await h.signUp('ada');
    const clip = await video(ada, `Reset me ${LONG}`, 8);
    await ada.caller.sora.generate({ videoId: clip.id });
    await ada.caller.sora.reset({ videoId: clip.id });
    // $0.80 still counts: another 8 s ($0.80) would make $1.60.
    await expect(ada.caller.sora.generate({ videoId: clip.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const blocked = await video(ada, 'Blocked [sim:fail=moderation_blocked] [sim:duration=200]', 4);
    await ada.caller.sora.generate({ videoId: blocked.id });
    await pollStatus(ada.caller, blocked.id, ['failed']);

    const [resetAttempt] = (await ada.caller.sora.history({ videoId: clip.id })).attempts;
    expect(resetAttempt).toMatchObject({ status: 'failed', errorCode: 'reset', countsTowardSpend: true });
    const [blockedAttempt] = (await ada.caller.sora.history({ videoId: blocked.id })).attempts;
    expect(blockedAttempt).toMatchObject({ status: 'failed', errorCode: 'moderation_blocked', countsTowardSpend: false });
    expect(await ada.caller.sora.spendToday()).toEqual({ spentUsd: 0.8, capUsd: 1.2, remainingUsd: 0.4 });
  });

  it('keeps counting the attempts of videos the user deleted: deleting cannot make room under the cap', async () => {
    const ada = await h.signUp('ada');
    const finished = await video(ada, 'Finished [sim:duration=200]', 8);
    await ada.caller.sora.generate({ videoId: finished.id });
    await pollStatus(ada.caller, finished.id, ['completed']);
    const reset = await video(ada, `Reset then deleted ${LONG}`, 4);
    await ada.caller.sora.generate({ videoId: reset.id });
    await ada.caller.sora.reset({ videoId: reset.id });
    await ada.caller.videos.delete({ videoId: finished.id });
    await ada.caller.videos.delete({ videoId: reset.id });

    // $0.80 + $0.40 spent and deleted: the cap is still used up, and the usage page still shows the money.
    expect(await ada.caller.sora.spendToday()).toEqual({ spentUsd: 1.2, capUsd: 1.2, remainingUsd: 0 });
    const next = await video(ada, `After deleting ${LONG}`, 4);
    await expect(ada.caller.sora.generate({ videoId: next.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const { summary } = await ada.caller.usage.report({ days: 7, timeZone: 'UTC' });
    expect(summary.rangeSpentUsd).toBe(1.2);
  });

  it('refuses sora.createAndGenerate over the cap without leaving an empty "Not started" video behind', async () => {
    const ada = await h.signUp('ada');
    const started = await ada.caller.sora.createAndGenerate({ prompt: `Twelve seconds ${LONG}`, model: 'sora-2', size: '720x1280', seconds: 12 });
    expect(started.generation.status).toBe('queued');
    const createsBefore = creates().length;
    const { error } = await expectTRPCError(() => ada.caller.sora.createAndGenerate({ prompt: `One more ${LONG}`, seconds: 4 }));
    expect(error.code).toBe('FORBIDDEN');
    expect(creates()).toHaveLength(createsBefore);
    expect((await ada.caller.videos.list()).items.map((item) => item.id)).toEqual([started.id]);
    expect(await ada.caller.sora.spendToday()).toEqual({ spentUsd: 1.2, capUsd: 1.2, remainingUsd: 0 });
  });
});

describe('a reset loop against a $2 cap with $0.40 videos', () => {
  let capped: Harness;
  beforeAll(async () => {
    capped = await startHarness({ settings: { dailySpendCapUsd: 2 } });
  });
  afterAll(() => capped?.close());

  it('starts at most the 5 jobs the cap pays for (counted upstream), and a new video is refused too', async () => {
    const ada = await capped.signUp('ada');
    const clip = await ada.caller.videos.create({ prompt: `Loop ${LONG}`, model: 'sora-2', size: '720x1280', seconds: 4 });
    const outcomes: string[] = [];
    for (let cycle = 0; cycle < 15; cycle++) {
      try {
        await ada.caller.sora.generate({ videoId: clip.id });
        outcomes.push('started');
      } catch (error) {
        outcomes.push((error as { code: string }).code);
      }
      await ada.caller.sora.reset({ videoId: clip.id });
    }
    expect(outcomes.filter((outcome) => outcome === 'started')).toHaveLength(5);
    expect(outcomes.slice(5).every((outcome) => outcome === 'FORBIDDEN')).toBe(true);
    await expect(ada.caller.sora.createAndGenerate({ prompt: `New one ${LONG}`, seconds: 4 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const upstreamCreates = capped.sim.requests().filter((entry) => entry.method === 'POST' && entry.path === '/v1/videos');
    expect(upstreamCreates).toHaveLength(5);
    expect(await ada.caller.sora.spendToday()).toEqual({ spentUsd: 2, capUsd: 2, remainingUsd: 0 });
  });
});
