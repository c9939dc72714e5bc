import { claimVideoForRefresh, getVideoForUser } from '@sora-monitor/db';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPollSchedule, refreshClaimed } from '../../src/generations';
import { pollSpacing } from '../../src/domain';
import { sleep, startHarness, startVideo, type Harness, type TestUser } from '../router/harness';

/*
 * The poller's schedule shares the upstream budget among the active generations: with A of them and R requests a
 * minute, no generation is scheduled for its next poll sooner than A ÷ (0.8 R) minutes, whatever its own cadence.
 */

let h: Harness;
let ada: TestUser;

beforeAll(async () => {
  h = await startHarness({ simulator: { generationMs: 600_000 } });
  ada = await h.signUp('ada');
});
afterAll(() => h?.close());

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('the poll schedule', () => {
  it('spaces each generation\'s next poll by its share of the budget, counted from the database', async () => {
    const videos = [];
    for (let index = 0; index < 6; index += 1) videos.push((await startVideo(ada.caller, `Spaced ${index}`)).video);
    const schedule = createPollSchedule({ db: h.db.db, logger: pino({ level: 'silent' }), requestsPerMinute: 12, stuckTimeoutMs: 15 * 60_000 });
    // The first ask starts the count and gets no floor yet; a refresh never waits for a count.
    expect(schedule.spacingMs()).toBe(0);
    const expected = pollSpacing({ activeJobs: 6, requestsPerMinute: 12, stuckTimeoutMs: 15 * 60_000 }).minDelayMs;
    expect(expected).toBe(37_500);
    await until(() => schedule.spacingMs() === expected);

    const [first] = videos;
    const claim = await claimVideoForRefresh(h.db.db, { videoId: first!.id, owner: 'schedule-test', freshForMs: 0, leaseMs: 60_000 });
    const { video: before, dbNowMs } = claim!;
    await refreshClaimed({ ...h.services.generations, pollSchedule: schedule }, before, new Date(dbNowMs), 'schedule-test', 'poller');
    const after = await getVideoForUser(h.db.db, ada.id, first!.id);
    // Queued upstream: its own cadence would be the 60 s of a queued job; in progress, 30 s. Either way not below 37.5 s.
    expect(after!.nextPollAt!.getTime() - dbNowMs).toBeGreaterThanOrEqual(expected);
  });

  it('recounts as generations come and go, no more often than asked', async () => {
    const schedule = createPollSchedule({
      db: h.db.db,
      logger: pino({ level: 'silent' }),
      requestsPerMinute: 1_200,
      stuckTimeoutMs: 15 * 60_000,
      recountEveryMs: 200,
    });
    schedule.spacingMs();
    await until(() => schedule.spacingMs() > 0);
    const before = schedule.spacingMs();
    await startVideo(ada.caller, 'One more');
    await until(() => schedule.spacingMs() > before);
    // One more active generation: one more share of 1,200 × 0.8 a minute (62.5 ms).
    expect(schedule.spacingMs() - before).toBe(63);
  });
});
