import { stat } from 'node:fs/promises';
import path from 'node:path';
import { testDbKind } from '@sora-monitor/db/testing';
import { sql } from 'drizzle-orm';
import { createLeaseOwnerFactory } from '@sora-monitor/core/server';
import type { RequestLogEntry } from '@sora-monitor/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logLines } from './server-process';
import {
  isDownloading,
  leaseOwnerPid,
  overlappingCalls,
  startFleet,
  WORKER_ENV,
  waitUntil,
  type Fleet,
  type Worker,
} from './worker-fleet';

describe('lease owners', () => {
  it('name the process holding the lease, which is how these tests tell workers apart', () => {
    const owner = createLeaseOwnerFactory()();
    expect(leaseOwnerPid(owner)).toBe(process.pid);
    expect(leaseOwnerPid(null)).toBeNull();
  });
});

const isStaleResult = (line: Record<string, unknown>) =>
  line.msg === 'Discarded a stale refresh result; the video changed meanwhile';

/** Successful content downloads (video and thumbnail alike) per upstream job, from the simulator's request log. */
function contentDownloadsByJob(requests: RequestLogEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of requests) {
    if (entry.videoId && entry.path.endsWith('/content') && entry.status === 200)
      counts.set(entry.videoId, (counts.get(entry.videoId) ?? 0) + 1);
  }
  return counts;
}

// Several processes on one database: PostgreSQL only.
if (testDbKind() === 'postgres') {
  describe('several worker processes on one PostgreSQL database', () => {
    let fleet: Fleet;
    let workers: Worker[];
    const alive = () =>
      workers.filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null);

    beforeAll(async () => {
      fleet = await startFleet({ generationMs: 1_500 });
      workers = await Promise.all([fleet.spawn(), fleet.spawn(), fleet.spawn()]);
      for (const worker of workers) expect(worker.output()).toContain('Background poller started');
    }, 90_000);
    afterAll(() => fleet?.close());

    /** Waits until one of `candidates` is downloading one of `ids`; returns it and every id it is downloading. */
    async function downloadingWorker(ids: string[], candidates: Worker[]) {
      const pids = new Set(candidates.map((worker) => worker.pid));
      const rows = await waitUntil(
        () => fleet.rows(ids),
        (current) =>
          current.some((row) => isDownloading(row) && pids.has(leaseOwnerPid(row.leaseOwner) ?? -1)),
      );
      const held = rows.find((row) => isDownloading(row) && pids.has(leaseOwnerPid(row.leaseOwner) ?? -1))!;
      const worker = candidates.find((candidate) => candidate.pid === leaseOwnerPid(held.leaseOwner))!;
      return {
        worker,
        held: rows.filter((row) => isDownloading(row) && leaseOwnerPid(row.leaseOwner) === worker.pid),
      };
    }

    async function expectAllCompletedOnce(ids: string[]) {
      const rows = await waitUntil(
        () => fleet.rows(ids),
        (current) => current.every((row) => row.soraGenerationStatus === 'completed'),
        { timeoutMs: 45_000, intervalMs: 200 },
      );
      for (const row of rows) {
        expect(row.blobKey).toBeTruthy();
        expect((await stat(path.join(fleet.dataDir, 'blobs', row.blobKey!))).size).toBe(row.blobSize);
        expect(row.leaseOwner).toBeNull();
      }
      const completions = await fleet.completions(ids);
      const generations = await fleet.generationCounts(ids);
      for (const id of ids) {
        expect(completions.get(id), `completion events of ${id}`).toBe(1);
        expect(generations.get(id), `attempts of ${id}`).toBe(1);
      }
      return rows;
    }

    it('three workers share 300 active generations: never two overlapping calls for one job, and every one completes', async () => {
      const inserted = await fleet.insertActive(Array.from({ length: 300 }, (_, i) => `Fleet video ${i}`));
      const ids = inserted.map((video) => video.id);
      await expectAllCompletedOnce(ids);

      expect(overlappingCalls(fleet.sim.requests())).toEqual([]);
      // One video download and one thumbnail per job: nobody downloaded anything twice, unless a worker stalled past
      // its 2 s lease (seen once in CI, the machine fully loaded). Then another worker took the job over, by design, and
      // may have downloaded it again; the stalled one's late result was refused, which its log says, maybe only once it
      // runs again.
      // One reading of the request log and the workers' logs per try: the counts checked are the ones waited on.
      const { notTwice, refused } = await waitUntil(
        async () => {
          const downloads = contentDownloadsByJob(fleet.sim.requests());
          const lines = workers.flatMap((worker) => logLines(worker).map((line): Record<string, unknown> => ({ ...line, worker: worker.pid })));
          const notTwice = Object.fromEntries(
            inserted.filter((video) => downloads.get(video.soraJobId!) !== 2).map((video) => [video.id, downloads.get(video.soraJobId!) ?? 0]),
          );
          return {
            // Printed if the wait fails: content downloads by video id (the videos not downloaded exactly twice), and
            // what the workers logged about those videos.
            notTwice,
            refused: lines.filter(isStaleResult).map((line) => String(line.videoId)),
            logged: lines.filter((line) => String(line.videoId) in notTwice).map(({ worker, level, msg }) => ({ worker, level, msg })),
          };
        },
        (seen) => Object.keys(seen.notTwice).every((videoId) => seen.refused.includes(videoId)),
        { timeoutMs: 10_000 },
      );
      for (const [videoId, count] of Object.entries(notTwice)) {
        const explained = count > 2 && count <= 4 && refused.includes(videoId);
        expect(explained, `${count} content downloads of video ${videoId}, a late result refused: ${refused.includes(videoId)}`).toBe(true);
      }
      expect(Object.keys(notTwice).length, 'jobs downloaded again').toBeLessThan(inserted.length / 10);
      // The work was shared.
      for (const worker of workers) {
        const metrics = await (await fetch(`${worker.url}/metrics`, { headers: { authorization: `Bearer ${WORKER_ENV.METRICS_TOKEN}` } })).text();
        expect(metrics, `worker ${worker.pid}`).toMatch(/^sora_lease_claims_total [1-9]/m);
      }
    }, 60_000);

    it('kill -9 of a worker holding leases: the others take its generations over once the leases expire; none lost or duplicated', async () => {
      const inserted = await fleet.insertActive(
        Array.from({ length: 8 }, (_, i) => `Crash ${i} [sim:duration=50] [sim:slow-download=1200]`),
      );
      const ids = inserted.map((video) => video.id);
      const { worker: victim, held } = await downloadingWorker(ids, alive());
      const killedAt = Date.now();
      victim.child.kill('SIGKILL');
      expect((await victim.ended).signal).toBe('SIGKILL');

      await expectAllCompletedOnce(ids);
      // What it was downloading when it died was downloaded again, after its death, by the others.
      expect(held.length).toBeGreaterThan(0);
      for (const row of held) {
        const downloads = fleet.sim
          .requests()
          .filter((entry) => entry.videoId === row.soraJobId && entry.path.endsWith('/content'));
        expect(
          downloads.some((entry) => entry.startedAt >= killedAt && entry.status === 200 && !entry.aborted),
        ).toBe(true);
      }
    }, 60_000);

    it('a worker paused past its lease mid-download and resumed: its late write is rejected, the completed generation stays', async () => {
      const inserted = await fleet.insertActive(
        Array.from({ length: 6 }, (_, i) => `Paused ${i} [sim:duration=50] [sim:slow-download=1500]`),
      );
      const ids = inserted.map((video) => video.id);
      const { worker: paused } = await downloadingWorker(ids, alive());
      paused.child.kill('SIGSTOP');
      let resumed = false;
      try {
        // What it was downloading at the moment it stopped.
        const stuck = (await fleet.rows(ids)).filter(
          (row) => isDownloading(row) && leaseOwnerPid(row.leaseOwner) === paused.pid,
        );
        expect(stuck.length).toBeGreaterThan(0);
        // Its lease runs out; another worker takes the generations over and completes them.
        const done = await waitUntil(
          () => fleet.rows(stuck.map((row) => row.id)),
          (rows) => rows.every((row) => row.soraGenerationStatus === 'completed'),
          { timeoutMs: 30_000, intervalMs: 100 },
        );
        const completions = await fleet.completions(stuck.map((row) => row.id));

        paused.child.kill('SIGCONT');
        resumed = true;
        // It wakes up, finishes its download and tries to write: the guard (status + lease owner) refuses.
        await waitUntil(
          async () => logLines(paused).filter(isStaleResult),
          (lines) => stuck.every((row) => lines.some((line) => line.videoId === row.id)),
          { timeoutMs: 20_000 },
        );
        expect(await fleet.rows(stuck.map((row) => row.id))).toEqual(expect.arrayContaining(done));
        expect(await fleet.completions(stuck.map((row) => row.id))).toEqual(completions);
      } finally {
        if (!resumed) paused.child.kill('SIGCONT');
      }
      await expectAllCompletedOnce(ids);
    }, 60_000);

    /**
     * Its exit after SIGTERM, and what the database's sessions were doing 3 s into the wait (who waits on whom), printed
     * with the worker's output when the exit is not the expected one: two runs of these tests failed on a loaded machine
     * with a worker stuck for its whole grace period.
     */
    async function exitAfterSigterm(target: Worker): Promise<{ exit: unknown; explain: string }> {
      target.child.kill('SIGTERM');
      let sessions: unknown = 'the worker exited within 3 s';
      const look = setTimeout(() => {
        fleet.handle.db
          .execute(
            sql`select pid, state, wait_event_type as "waitType", wait_event as "wait", pg_blocking_pids(pid) as "blockedBy",
                  round(extract(epoch from now() - xact_start))::int as "xactSeconds", left(query, 160) as query
                from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
          )
          .then((rows) => (sessions = rows), (error: unknown) => (sessions = String(error)));
      }, 3_000);
      const exit = await target.ended;
      clearTimeout(look);
      return { exit, explain: `the worker's output:\n${target.output()}\nsessions 3 s after SIGTERM: ${JSON.stringify(sessions, null, 1)}` };
    }

    /** Runs `work` with every live worker but `target` paused, so `target` is the one that takes the new work. */
    async function withOnly<T>(target: Worker, work: () => Promise<T>): Promise<T> {
      const others = alive().filter((worker) => worker !== target);
      for (const worker of others) worker.child.kill('SIGSTOP');
      try {
        return await work();
      } finally {
        for (const worker of others) worker.child.kill('SIGCONT');
      }
    }

    // The fleet's SHUTDOWN_GRACE_MS is 8 s: the poller gets 4 s of it for the work in flight (room for a loaded machine).
    it('SIGTERM during a download longer than the grace period: the work is cut short, its lease released, the exit is 0', async () => {
      const [target] = alive();
      const { ids, held } = await withOnly(target!, async () => {
        const inserted = await fleet.insertActive(
          Array.from(
            { length: 3 },
            (_, i) => `Long download ${i} [sim:duration=50] [sim:slow-download=12000]`,
          ),
        );
        const ids = inserted.map((video) => video.id);
        const { held } = await downloadingWorker(ids, [target!]);
        const { exit, explain } = await exitAfterSigterm(target!);
        expect(exit, explain).toEqual({ code: 0, signal: null });
        return { ids, held };
      });
      expect(target!.output()).toContain('aborting it and releasing its leases');
      expect(target!.output()).toContain('Stopped cleanly');
      const released = await fleet.rows(held.map((video) => video.id));
      for (const row of released) expect(leaseOwnerPid(row.leaseOwner)).not.toBe(target!.pid);
      // The workers still running finish what was handed back.
      await expectAllCompletedOnce(ids);
    }, 60_000);

    it('SIGTERM during a download: the worker finishes its work within the grace period and exits 0', async () => {
      const [target] = alive();
      const { held } = await withOnly(target!, async () => {
        const inserted = await fleet.insertActive(
          Array.from({ length: 3 }, (_, i) => `Shutdown ${i} [sim:duration=50] [sim:slow-download=300]`),
        );
        const downloading = await downloadingWorker(
          inserted.map((video) => video.id),
          [target!],
        );
        const { exit, explain } = await exitAfterSigterm(target!);
        expect(exit, explain).toEqual({ code: 0, signal: null });
        return downloading;
      });
      expect(target!.output()).toContain('Stopped cleanly');
      expect(target!.output()).not.toContain('aborting it and releasing its leases');
      // What it was downloading when the signal came was finished before it exited.
      for (const row of await fleet.rows(held.map((video) => video.id))) {
        expect(row.soraGenerationStatus).toBe('completed');
        expect(row.leaseOwner).toBeNull();
      }
      expect(await fleet.completions(held.map((video) => video.id))).toEqual(
        new Map(held.map((video) => [video.id, 1])),
      );
    }, 60_000);
  });
}
