import { claimDueVideos, listDueThumbnailRetries, releaseVideoLease, type Video } from '@sora-monitor/db';
import pLimit from 'p-limit';
import { refreshClaimed, retryThumbnail, type GenerationDeps } from '../generations';
import type { Metrics } from '../metrics';
import { abortableProvider, withCallDefaults } from '../provider';
import { abortableDelay } from './abortable-delay';
import { createDoorbell } from './doorbell';
import { startDueRetries } from './auto-retry';
import { startLeaseHeartbeat } from './lease-heartbeat';
import { sweepStuckGenerations } from './sweep-stuck';

export interface PollerOptions {
  /** Generations leased per claim. */
  batchSize: number;
  /**
   * Upstream requests in flight at once, a download until its body has been read (the shared budget still caps the
   * rate). Twice as many refreshes may be under way: a refresh's budget wait and database write hold no slot.
   */
  concurrency: number;
  /** How often to look for due work when the last claim was not full. */
  tickMs: number;
  /** Mean interval of the stuck sweep (jittered ±20% so instances do not sweep in lockstep). */
  sweepIntervalMs: number;
}

export interface Poller {
  start(): void;
  /**
   * Stops claiming and waits for the iteration in flight to finish. With `graceMs`, work still running after that
   * long is cut short: its upstream calls are aborted and its leases released, so other workers take it over.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** One claim-refresh-sweep-retry pass; exported so tests drive the worker step by step. */
  runOnce(): Promise<number>;
  /** Aborted when stop()'s grace period runs out; every status and content call the poller makes follows it. */
  readonly signal: AbortSignal;
}

/** The longest pause after failed iterations (a database outage): also bounds how late work resumes after it. */
const MAX_FAILURE_BACKOFF_MS = 5_000;

/** Refreshes under way per upstream slot: one asking upstream while another writes what it heard. */
const REFRESHES_PER_UPSTREAM_SLOT = 2;

export const DEFAULT_POLLER_OPTIONS: PollerOptions = { batchSize: 50, concurrency: 8, tickMs: 1_000, sweepIntervalMs: 60_000 };

/**
 * The background worker: `while (!stopping) { claim due generations and queue their refreshes through the shared
 * refresh path → sweep stuck ones (and try missing thumbnails again) → start due retries → wait for a free slot (or,
 * when the claim was not full, a tick) }`. Batches overlap: one slow refresh holds its slot, not the next claim.
 * Every dependency comes in through `deps`.
 */
export function createPoller(deps: GenerationDeps & { metrics?: Metrics }, options: PollerOptions = DEFAULT_POLLER_OPTIONS): Poller {
  // The slot is the upstream call, not the refresh: while one refresh writes what it heard, the next one asks.
  const refreshesInFlight = options.concurrency * REFRESHES_PER_UPSTREAM_SLOT;
  const limit = pLimit(refreshesInFlight);
  const upstreamSlots = pLimit(options.concurrency);
  const controller = new AbortController();
  /** Aborted only when stop()'s grace period runs out: cuts the upstream calls in flight short. */
  const cutShort = new AbortController();
  // The schedule's calls wait behind a user's in the upstream budget (a poll can always go a little later), and only
  // the request itself takes an upstream slot: not the wait for the budget before it, nor the write after it.
  const workDeps: GenerationDeps = {
    ...deps,
    provider: withCallDefaults(abortableProvider(deps.provider, cutShort.signal), { priority: 'background', slots: upstreamSlots }),
  };
  const random = deps.random ?? Math.random;
  let loop: Promise<void> | null = null;
  let nextSweepAt = 0;
  const slotFreed = createDoorbell();
  /** Claimed refreshes waiting for a slot, and those in one (our own counts: p-limit's change after our callback). */
  let waiting = 0;
  let running = 0;

  async function refreshOne(video: Video, now: Date, owner: string): Promise<void> {
    if (cutShort.signal.aborted) {
      // Claimed, not started, and the process is going away: hand it straight back.
      await releaseVideoLease(deps.db, video.id, owner).catch(() => {});
      return;
    }
    const started = Date.now();
    try {
      // An aborted call reads as "temporarily unavailable": the refresh records that and releases the lease itself.
      const { outcome } = await refreshClaimed(workDeps, video, now, owner, 'poller');
      deps.metrics?.pollLatency.observe({ result: outcome?.kind ?? 'unchanged' }, (Date.now() - started) / 1000);
    } catch (error) {
      deps.metrics?.pollLatency.observe({ result: 'error' }, (Date.now() - started) / 1000);
      deps.logger.error({ err: error, videoId: video.id, jobId: video.soraJobId }, 'Refresh failed; releasing the lease');
      await releaseVideoLease(deps.db, video.id, owner).catch(() => {});
    }
  }

  async function sweepIfDue(): Promise<void> {
    if (Date.now() < nextSweepAt) return;
    nextSweepAt = Date.now() + options.sweepIntervalMs * (0.8 + random() * 0.4);
    const started = Date.now();
    const failed = await sweepStuckGenerations(workDeps);
    deps.metrics?.sweepDuration.observe((Date.now() - started) / 1000);
    deps.metrics?.sweptStuck.inc(failed.length);
    // Missing thumbnails whose next try is due, so "My videos" gets them without anyone opening the video.
    for (const videoId of await listDueThumbnailRetries(deps.db, options.batchSize)) {
      if (cutShort.signal.aborted) break;
      await retryThumbnail(workDeps, videoId).catch((error: unknown) => deps.logger.warn({ err: error, videoId }, 'Thumbnail retry failed'));
    }
  }

  /**
   * Claims up to a batch of due generations and queues their refreshes; resolves with how many were claimed and a
   * promise of the batch's end (its leases are renewed until each refresh is over).
   */
  async function claimBatch(): Promise<{ claimed: number; finished: Promise<void> }> {
    const owner = deps.nextLeaseOwner();
    const claim = await claimDueVideos(deps.db, { owner, limit: options.batchSize, leaseMs: deps.settings.leaseMs });
    deps.metrics?.leaseClaims.inc(claim.videos.length);
    const now = new Date(claim.dbNowMs);
    const heartbeat = startLeaseHeartbeat(deps.db, owner, claim.videos.map((video) => video.id), deps.settings.leaseMs, deps.logger);
    waiting += claim.videos.length;
    const refreshes = claim.videos.map((video) =>
      limit(async () => {
        waiting -= 1;
        running += 1;
        try {
          await refreshOne(video, now, owner);
        } finally {
          running -= 1;
          heartbeat.done(video.id);
          slotFreed.ring();
        }
      }),
    );
    const finished = Promise.all(refreshes).then(
      () => heartbeat.stop(),
      () => heartbeat.stop(),
    );
    return { claimed: claim.videos.length, finished };
  }

  async function housekeeping(): Promise<void> {
    await sweepIfDue();
    deps.metrics?.autoRetries.inc(await startDueRetries(deps, options.batchSize));
  }

  async function runOnce(): Promise<number> {
    const { claimed, finished } = await claimBatch();
    await finished;
    if (!controller.signal.aborted) await housekeeping();
    return claimed;
  }

  async function run(): Promise<void> {
    let failures = 0;
    const batches = new Set<Promise<void>>();
    while (!controller.signal.aborted) {
      let claimed = 0;
      let waitMs = options.tickMs;
      try {
        const batch = await claimBatch();
        claimed = batch.claimed;
        batches.add(batch.finished);
        void batch.finished.then(() => batches.delete(batch.finished));
        await housekeeping();
        if (failures > 0) deps.logger.info({ failures }, 'Poller iterations succeed again');
        failures = 0;
      } catch (error) {
        // A database outage must not kill the worker, nor flood the log once per tick: log, back off, try again.
        failures += 1;
        waitMs = Math.min(options.tickMs * 2 ** failures, MAX_FAILURE_BACKOFF_MS);
        deps.logger.error({ err: error, failures, retryInMs: waitMs }, 'Poller iteration failed');
      }
      if (claimed < options.batchSize) await abortableDelay(waitMs, controller.signal);
      // More may be due: claim again as soon as every claimed refresh has a slot and a slot is free, not when the
      // slowest refresh of the batch (a long download) has finished. Claimed work never waits long in the queue.
      while (!controller.signal.aborted && (waiting > 0 || running >= refreshesInFlight)) {
        await slotFreed.wait(controller.signal);
      }
    }
    await Promise.all(batches);
  }

  return {
    start() {
      loop ??= run();
    },
    async stop({ graceMs } = {}) {
      controller.abort();
      if (!loop) return;
      const timer =
        graceMs === undefined
          ? undefined
          : setTimeout(() => {
              deps.logger.warn({ graceMs }, 'Work still running at the end of the grace period: aborting it and releasing its leases');
              cutShort.abort();
            }, graceMs);
      try {
        await loop;
      } finally {
        clearTimeout(timer);
      }
    },
    runOnce,
    signal: cutShort.signal,
  };
}
