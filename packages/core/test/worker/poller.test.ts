import { claimDueVideos, videos } from '@sora-monitor/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshClaimed } from '../../src/generations';
import { driveUntil, overlappingCalls, startWorkerHarness, waitUntil, type WorkerHarness } from './harness';

let h: WorkerHarness;
beforeAll(async () => {
  h = await startWorkerHarness({ sim: { generationMs: 200 } });
});
afterAll(() => h?.close());

const completionEvents = async (videoId: string) =>
  (await h.events(videoId)).filter(
    (event) => event.type === 'status_changed' && event.toStatus === 'completed',
  );

describe('the poller', () => {
  it('follows generations to the end on its own, downloading each finished video once', async () => {
    const started = await Promise.all([
      h.startVideo('A lighthouse at dusk'),
      h.startVideo('A paper boat'),
      h.startVideo('Rain on a window'),
    ]);
    const poller = h.poller();
    poller.start();
    // No makeDue here: the poller's own schedule gets them done.
    for (const video of started) {
      const done = await waitUntil(
        () => h.video(video.id),
        (row) => row.soraGenerationStatus === 'completed',
        { timeoutMs: 15_000 },
      );
      expect(done.blobKey).toBeTruthy();
      expect(done.blobSize).toBeGreaterThan(0);
      expect(done.leaseOwner).toBeNull();
      expect(done.nextPollAt).toBeNull();
      expect(await completionEvents(video.id)).toHaveLength(1);
      const downloads = h.jobRequests(video.soraJobId!).filter((entry) => entry.path.endsWith('/content'));
      expect(downloads.length).toBeGreaterThanOrEqual(1);
    }
    await poller.stop();
    expect(overlappingCalls(h.sim.requests())).toEqual([]);
  });

  it('claims more work while one refresh of the last batch is still downloading (no wait for the slowest)', async () => {
    const slow = await h.startVideo('A long download [sim:slow-download=8000]');
    const quick = await h.startVideo('A quick one');
    await Promise.all([h.upstreamFinished(slow.soraJobId!), h.upstreamFinished(quick.soraJobId!)]);
    await h.makeDue();
    const poller = h.poller({ batchSize: 2, concurrency: 2 });
    poller.start();
    await waitUntil(
      () => h.video(quick.id),
      (row) => row.soraGenerationStatus === 'completed',
      { timeoutMs: 15_000 },
    );
    // The slow video's download holds one slot; the other is free, so a generation that becomes due now is followed
    // at once, not after the download.
    const later = await h.startVideo('Started during the download');
    await h.upstreamFinished(later.soraJobId!);
    await h.makeDue();
    await waitUntil(
      () => h.video(later.id),
      (row) => row.soraGenerationStatus === 'completed',
      { timeoutMs: 15_000 },
    );
    expect((await h.video(slow.id)).soraGenerationStatus).not.toBe('completed');
    // Cut the download short and drop that video, so the tests after this one see only their own active work.
    await poller.stop({ graceMs: 0 });
    await h.db.delete(videos).where(eq(videos.id, slow.id));
  });

  it('never leases a generation to two pollers: concurrent claims are disjoint', async () => {
    const started = await Promise.all(Array.from({ length: 12 }, (_, i) => h.startVideo(`Claim race ${i}`)));
    await h.makeDue();
    const other = await h.instance();
    const [a, b, c] = await Promise.all([
      claimDueVideos(h.db, { owner: 'worker-a', limit: 5, leaseMs: 60_000 }),
      claimDueVideos(other.db, { owner: 'worker-b', limit: 5, leaseMs: 60_000 }),
      claimDueVideos(h.db, { owner: 'worker-c', limit: 5, leaseMs: 60_000 }),
    ]);
    const ids = [...a.videos, ...b.videos, ...c.videos].map((video) => video.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(12);
    for (const id of started.map((video) => video.id)) expect(ids).toContain(id);
    // Leased and unexpired: nobody else gets them.
    expect((await claimDueVideos(h.db, { owner: 'worker-d', limit: 50, leaseMs: 60_000 })).videos).toEqual(
      [],
    );
    // Hand them back for the next test.
    await h.db
      .update(videos)
      .set({ leaseOwner: null, leaseUntil: null })
      .where(sql`${videos.leaseOwner} like 'worker-%'`);
    const poller = h.poller();
    await driveUntil(
      h,
      poller,
      () => Promise.all(started.map((video) => h.video(video.id))),
      (rows) => rows.every((row) => row.soraGenerationStatus === 'completed'),
    );
  });

  it('takes over a lease that has expired (its holder died) and finishes the generation', async () => {
    const video = await h.startVideo('Abandoned by a dead worker');
    await h.db
      .update(videos)
      .set({
        leaseOwner: 'dead-worker:1',
        leaseUntil: sql`now() + interval '1 hour'`,
        nextPollAt: sql`now()`,
      })
      .where(eq(videos.id, video.id));
    const poller = h.poller();
    await poller.runOnce();
    expect((await h.video(video.id)).leaseOwner).toBe('dead-worker:1');
    expect(h.jobRequests(video.soraJobId!).filter((entry) => entry.method === 'GET')).toEqual([]);

    await h.db
      .update(videos)
      .set({ leaseUntil: sql`now() - interval '1 second'` })
      .where(eq(videos.id, video.id));
    const done = await driveUntil(
      h,
      poller,
      () => h.video(video.id),
      (row) => row.soraGenerationStatus === 'completed',
    );
    expect(done.leaseOwner).toBeNull();
    expect(await completionEvents(video.id)).toHaveLength(1);
  });

  it('renews the leases of claimed work while it waits for a slot or downloads, so no one else takes it over', async () => {
    const shortLeases = await h.instance({ settings: { leaseMs: 1_500 } });
    const started = await Promise.all([
      h.startVideo('First in line [sim:duration=20] [sim:slow-download=1200]'),
      h.startVideo('Second in line [sim:duration=20] [sim:slow-download=1200]'),
      h.startVideo('Third in line [sim:duration=20] [sim:slow-download=1200]'),
    ]);
    const ids = started.map((video) => video.id);
    for (const video of started) await h.upstreamFinished(video.soraJobId!);
    await h.makeDue();
    // One status call at a time, two refreshes under way: the third waits out the first two's downloads (video and
    // thumbnail), longer than a lease.
    const pass = h.poller({ concurrency: 1 }, shortLeases).runOnce();
    let passing = true;
    void pass.finally(() => (passing = false));
    // The pass has leased all three (one statement); from now on a rival worker keeps trying to take them.
    await waitUntil(
      () => Promise.all(ids.map((id) => h.video(id))),
      (rows) => rows.every((row) => row.leaseOwner !== null),
    );
    const stolen: string[] = [];
    while (passing) {
      const rival = await claimDueVideos(h.db, { owner: 'rival-worker:1', limit: 50, leaseMs: 60_000 });
      stolen.push(...rival.videos.map((video) => video.id).filter((id) => ids.includes(id)));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await pass;
    expect(stolen).toEqual([]);
    for (const video of started) {
      expect((await h.video(video.id)).soraGenerationStatus).toBe('completed');
      // One video and one thumbnail download each: nothing was fetched twice. (The simulator logs a request when
      // its connection closes, which can come a moment after the client is done.)
      const content = await waitUntil(
        async () => h.jobRequests(video.soraJobId!).filter((entry) => entry.path.endsWith('/content')),
        (entries) => entries.length >= 2,
      );
      expect(content).toHaveLength(2);
    }
  });

  it('rejects the late write of a worker that lost its lease: a completed generation never goes back', async () => {
    const video = await h.startVideo('Paused worker [sim:duration=100]');
    await h.makeDue();
    // Worker A claims, then is "paused" past its lease before it writes anything.
    const stale = await claimDueVideos(h.db, { owner: 'paused-worker:1', limit: 50, leaseMs: 60_000 });
    const claimed = stale.videos.find((row) => row.id === video.id);
    expect(claimed).toBeDefined();
    await h.db
      .update(videos)
      .set({ leaseUntil: sql`now() - interval '1 millisecond'` })
      .where(eq(videos.id, video.id));

    // Worker B takes over and completes it.
    const poller = h.poller();
    await driveUntil(
      h,
      poller,
      () => h.video(video.id),
      (row) => row.soraGenerationStatus === 'completed',
    );
    const before = await h.video(video.id);
    const eventsBefore = await h.events(video.id);

    // Worker A wakes up and finishes its refresh (retrieve, download, write): the guard refuses every write.
    const result = await refreshClaimed(
      h.deps,
      claimed!,
      new Date(stale.dbNowMs),
      'paused-worker:1',
      'poller',
    );
    expect(result.outcome).toBeNull();
    expect(result.video.soraGenerationStatus).toBe('completed');
    const after = await h.video(video.id);
    expect(after).toEqual(before);
    expect(await h.events(video.id)).toEqual(eventsBefore);
    expect(await completionEvents(video.id)).toHaveLength(1);
    expect(
      h.logs.some((log) => log.msg.includes('Discarded a stale refresh result') && log.videoId === video.id),
    ).toBe(true);
  });

  it('stop() waits for the iteration in flight: a download under way is finished, not abandoned', async () => {
    const video = await h.startVideo('Slow download [sim:duration=50] [sim:slow-download=600]');
    const poller = h.poller();
    poller.start();
    // Upstream said completed and the poller kept the lease to download: the download is under way.
    await waitUntil(
      async () => {
        await h.makeDue();
        return h.video(video.id);
      },
      (row) =>
        row.soraProgress === 100 && row.leaseOwner !== null && row.soraGenerationStatus === 'in_progress',
    );
    await poller.stop();
    const row = await h.video(video.id);
    expect(row.soraGenerationStatus).toBe('completed');
    expect(row.leaseOwner).toBeNull();
    const content = h.jobRequests(video.soraJobId!).filter((entry) => entry.path.endsWith('/content'));
    expect(content.some((entry) => entry.status === 200 && !entry.aborted)).toBe(true);
  });

  it('stop() with a grace period cuts a download that outlasts it short and releases the lease for others', async () => {
    const video = await h.startVideo('Very slow download [sim:duration=50] [sim:slow-download=1500]');
    const poller = h.poller();
    poller.start();
    await waitUntil(
      async () => {
        await h.makeDue();
        return h.video(video.id);
      },
      (row) =>
        row.soraProgress === 100 && row.leaseOwner !== null && row.soraGenerationStatus === 'in_progress',
    );
    await poller.stop({ graceMs: 100 });
    const released = await h.video(video.id);
    expect(released.soraGenerationStatus).toBe('in_progress');
    expect(released.leaseOwner).toBeNull();
    expect(released.blobKey).toBeNull();
    // The cut download is not kept; another worker downloads the video again later.
    const cut = h.jobRequests(video.soraJobId!).filter((entry) => entry.path.endsWith('/content'));
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.every((entry) => entry.aborted)).toBe(true);
    expect(await h.events(video.id)).not.toContainEqual(expect.objectContaining({ toStatus: 'failed' }));

    // Another worker takes it over and finishes it.
    await driveUntil(
      h,
      h.poller(),
      () => h.video(video.id),
      (row) => row.soraGenerationStatus === 'completed',
    );
    expect(await completionEvents(video.id)).toHaveLength(1);
  });

  it('keeps polling through upstream 503s, backing off, and never fails the generation for them', async () => {
    const video = await h.startVideo('Flapping upstream [sim:flap-503]');
    const poller = h.poller();
    const done = await driveUntil(
      h,
      poller,
      () => h.video(video.id),
      (row) => row.soraGenerationStatus === 'completed',
    );
    if (done.thumbnailBlobKey === null) {
      // The thumbnail download drew a 503: the video is complete, and one failed thumbnail try is counted and planned.
      expect(done).toMatchObject({ pollFailures: 1, nextPollAt: expect.any(Date) });
    } else {
      expect(done).toMatchObject({ pollFailures: 0, nextPollAt: null });
    }
    const statuses = h.jobRequests(video.soraJobId!).map((entry) => entry.status);
    expect(statuses).toContain(503);
    expect((await h.events(video.id)).some((event) => event.toStatus === 'failed')).toBe(false);
  });

  it('records poll latency and lease claims', async () => {
    const text = await h.registry.metrics();
    expect(text).toMatch(/sora_lease_claims_total [1-9]/);
    expect(text).toMatch(/sora_poll_seconds_count\{result="completed"\} [1-9]/);
    expect(text).toMatch(/sora_upstream_calls_total\{operation="retrieve",result="video"\} [1-9]/);
  });
});
