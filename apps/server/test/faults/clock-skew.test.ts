import { fileURLToPath } from 'node:url';
import { createSoraMonitorClient } from '@sora-monitor/core/client';
import { waitUntil } from '@sora-monitor/core/testing';
import { soraEvents, videos } from '@sora-monitor/db';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { logLines } from '../server-process';
import { signUpWithToken, startFaultSetup, type FaultSetup } from './fault-setup';

const CLOCK_OFFSET_MS = 10 * 60_000;
const STUCK_TIMEOUT_MS = 20_000; // the configuration's minimum is 10 s
const fastClock = fileURLToPath(new URL('./fast-clock.mjs', import.meta.url));

// Needs real PostgreSQL (its clock is the reference) and a separate process: PostgreSQL only.
describe.skipIf(!process.env.TEST_DATABASE_URL)('an instance whose clock is 10 minutes fast', () => {
  let setup: FaultSetup | undefined;
  afterAll(() => setup?.close());

  it('fails no generation early: every timing decision uses the database clock', async () => {
    setup = await startFaultSetup({ generationMs: 2_000 });
    const spawnedAt = Date.now();
    const fast = await setup.spawn(
      {
        CLOCK_OFFSET_MS: String(CLOCK_OFFSET_MS),
        STUCK_TIMEOUT_MS: String(STUCK_TIMEOUT_MS),
        SWEEP_INTERVAL_MS: '500',
        MAX_ATTEMPTS: '1', // a swept generation stays failed, so what the sweep did stays visible
      },
      ['--import', fastClock],
    );
    // The preload took: the process's own log times are 10 minutes ahead.
    expect(Number(logLines(fast)[0]?.time)).toBeGreaterThan(spawnedAt + CLOCK_OFFSET_MS - 5_000);

    // Started through the fast instance, which alone polls and sweeps them.
    const { token } = await signUpWithToken(fast.url);
    const client = createSoraMonitorClient({ url: fast.url, token });
    const start = async (prompt: string) => {
      const video = await client.videos.create.mutate({ prompt });
      await client.sora.generate.mutate({ videoId: video.id });
      return video.id;
    };
    // Steady progress for longer than the stuck timeout: never stuck.
    const steady = await Promise.all([1, 2, 3].map((i) => start(`Steady ${i} [sim:duration=30000]`)));
    // No progress after 25%: stuck, but only once 20 s (database clock) have passed without progress.
    const stalled = await start('Stalled [sim:stuck=25]');

    const rows = () =>
      setup!.handle.db
        .select()
        .from(videos)
        .where(inArray(videos.id, [...steady, stalled]));
    const finished = await waitUntil(
      rows,
      (current) => {
        const failedEarly = current.find(
          (row) => steady.includes(row.id) && row.soraGenerationStatus === 'failed',
        );
        if (failedEarly) throw new Error(`failed early: ${failedEarly.soraErrorMessage}`);
        return current.every((row) => ['completed', 'failed'].includes(row.soraGenerationStatus ?? ''));
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    for (const row of finished.filter((one) => steady.includes(one.id)))
      expect(row.soraGenerationStatus).toBe('completed');

    // The stalled one was failed by the sweep, and not before its progress had stood still for the timeout.
    const stalledRow = finished.find((row) => row.id === stalled)!;
    expect(stalledRow.soraGenerationStatus).toBe('failed');
    const [sweep] = await setup.handle.db
      .select()
      .from(soraEvents)
      .where(and(eq(soraEvents.videoId, stalled), eq(soraEvents.actor, 'sweeper')));
    const stoodStillMs = sweep!.createdAt.getTime() - stalledRow.progressChangedAt!.getTime();
    expect(stoodStillMs).toBeGreaterThanOrEqual(STUCK_TIMEOUT_MS);
    expect(stoodStillMs).toBeLessThan(STUCK_TIMEOUT_MS + 5_000);
    console.info(`clock skew: the stalled generation was swept ${stoodStillMs} ms after its last progress`);
  }, 120_000);
});
