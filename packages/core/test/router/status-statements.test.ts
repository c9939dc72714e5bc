import { getVideoForUser, videos } from '@sora-monitor/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, startVideo, waitUntil, type Harness, type TestUser } from './harness';

/*
 * What one sora.status request costs the database, counted on the services' own handle. Harness callers are already
 * signed in, so these are the statements after the session lookup: the ownership read, and a claim only when
 * upstream is worth asking.
 */

let h: Harness;
let ada: TestUser;
const statements: string[] = [];
const FRESH_FOR_MS = 60_000;

beforeAll(async () => {
  h = await startHarness({ settings: { statusFreshnessMs: FRESH_FOR_MS }, onQuery: (sql) => statements.push(sql) });
  ada = await h.signUp('ada');
});
afterAll(() => h?.close());

/** The statements `call` sent, and what it answered. */
async function counted<T>(call: () => Promise<T>): Promise<{ result: T; sent: string[] }> {
  const from = statements.length;
  const result = await call();
  return { result, sent: statements.slice(from) };
}

/** Ages the stored state past the freshness window, by the database clock. */
const makeStale = (videoId: string) =>
  h.db.db
    .update(videos)
    .set({ lastPolledAt: sql`now() - ${FRESH_FOR_MS + 1_000} * interval '1 millisecond'` })
    .where(eq(videos.id, videoId));

const upstreamGets = (jobId: string) => h.jobRequests(jobId).filter((entry) => entry.method === 'GET').length;

describe('sora.status statements', () => {
  it('answers a fresh active generation from the one row it read: a single select, no claim, no upstream call', async () => {
    const { video, started } = await startVideo(ada.caller, 'A fresh one [sim:duration=60000]');
    // The first status after the start asks upstream (never polled yet): a claim, then the commit.
    const first = await counted(() => ada.caller.sora.status({ videoId: video.id }));
    expect(first.sent.some((sql) => /^update "videos"/i.test(sql))).toBe(true);
    const getsAfterFirst = upstreamGets(started.jobId!);
    expect(getsAfterFirst).toBe(1);

    const second = await counted(() => ada.caller.sora.status({ videoId: video.id }));
    expect(second.sent).toHaveLength(1);
    expect(second.sent[0]).toMatch(/^select /i);
    expect(second.result).toMatchObject({ status: first.result.status, progress: first.result.progress, videoId: video.id });
    expect(upstreamGets(started.jobId!)).toBe(getsAfterFirst);
  });

  it('answers from the row while another holder has the lease, without trying to take it', async () => {
    const { video, started } = await startVideo(ada.caller, 'Leased elsewhere [sim:duration=60000]');
    // Another process is asking upstream right now (its lease runs for a minute).
    await h.db.db
      .update(videos)
      .set({ leaseOwner: 'other-instance', leaseUntil: sql`now() + interval '1 minute'` })
      .where(eq(videos.id, video.id));
    const { sent, result } = await counted(() => ada.caller.sora.status({ videoId: video.id }));
    expect(sent).toHaveLength(1);
    expect(result.status).toBe('queued');
    expect(upstreamGets(started.jobId!)).toBe(0);
    expect((await getVideoForUser(h.db.db, ada.id, video.id))?.leaseOwner).toBe('other-instance');
  });

  it('asks upstream again once the stored state is older than the freshness window, by the database clock', async () => {
    const { video, started } = await startVideo(ada.caller, 'Gone stale [sim:duration=60000]');
    await ada.caller.sora.status({ videoId: video.id });
    expect(upstreamGets(started.jobId!)).toBe(1);
    await makeStale(video.id);
    await ada.caller.sora.status({ videoId: video.id });
    await waitUntil(
      async () => upstreamGets(started.jobId!),
      (count) => count === 2,
    );
  });

  it('answers a completed generation from its row with one select', async () => {
    const { video } = await startVideo(ada.caller, 'Done quickly [sim:duration=200]');
    await waitUntil(
      async () => (await makeStale(video.id), ada.caller.sora.status({ videoId: video.id })),
      (view) => view.status === 'completed',
      { timeoutMs: 15_000 },
    );
    const { sent } = await counted(() => ada.caller.sora.status({ videoId: video.id }));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^select /i);
  });
});
