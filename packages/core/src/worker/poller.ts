import { claimDueVideos, releaseVideoLease, type Video } from '@sora-monitor/db';
import pLimit from 'p-limit';
import { refreshClaimed, type GenerationDeps } from '../generations';
import type { Metrics } from '../metrics';
import type { VideoProvider } from '../provider';
import { abortableDelay } from './abortable-delay';
import { startDueRetries } from './auto-retry';
import { startLeaseHeartbeat } from './lease-heartbeat';
import { sweepStuckGenerations } from './sweep-stuck';

export interface PollerOptions {
  /** Generations leased per claim. */
  batchSize: number;
  /** Upstream refreshes in flight at once (the shared budget still caps the rate). */
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
}

/** The longest pause after failed iterations (a database outage): also bounds how late work resumes after it. */
const MAX_FAILURE_BACKOFF_MS = 5_000;

export const DEFAULT_POLLER_OPTIONS: PollerOptions = { batchSize: 50, concurrency: 8, tickMs: 1_000, sweepIntervalMs: 60_000 };

/**
 * The background worker: `while (!stopping) { claim due generations → refresh each through the shared refresh path →
 * sweep stuck ones → start due retries → wait }`. Every dependency comes in through `deps`.
 */
export function createPoller(deps: GenerationDeps & { metrics?: Metrics }, options: PollerOptions = DEFAULT_POLLER_OPTIONS): Poller {
  const limit = pLimit(options.concurrency);
  const controller = new AbortController();
  /** Aborted only when stop()'s grace period runs out: cuts the upstream calls in flight short. */
  const cutShort = new AbortController();
  const workDeps: GenerationDeps = { ...deps, provider: abortableProvider(deps.provider, cutShort.signal) };
  const random = deps.random ?? Math.random;
  let loop: Promise<void> | null = null;
  let nextSweepAt = 0;

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
    const failed = await sweepStuckGenerations(deps);
    deps.metrics?.sweepDuration.observe((Date.now() - started) / 1000);
    deps.metrics?.sweptStuck.inc(failed.length);
  }

  async function runOnce(): Promise<number> {
    const owner = deps.nextLeaseOwner();
    const claim = await claimDueVideos(deps.db, { owner, limit: options.batchSize, leaseMs: deps.settings.leaseMs });
    deps.metrics?.leaseClaims.inc(claim.videos.length);
    const now = new Date(claim.dbNowMs);
    const heartbeat = startLeaseHeartbeat(deps.db, owner, claim.videos.map((video) => video.id), deps.settings.leaseMs, deps.logger);
    try {
      await Promise.all(
        claim.videos.map((video) =>
          limit(async () => {
            try {
              await refreshOne(video, now, owner);
            } finally {
              heartbeat.done(video.id);
            }
          }),
        ),
      );
    } finally {
      await heartbeat.stop();
    }
    if (controller.signal.aborted) return claim.videos.length;
    await sweepIfDue();
    deps.metrics?.autoRetries.inc(await startDueRetries(deps, options.batchSize));
    return claim.videos.length;
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!controller.signal.aborted) {
      let claimed = 0;
      let waitMs = options.tickMs;
      try {
        claimed = await runOnce();
        if (failures > 0) deps.logger.info({ failures }, 'Poller iterations succeed again');
        failures = 0;
      } catch (error) {
        // A database outage must not kill the worker, nor flood the log once per tick: log, back off, try again.
        failures += 1;
        waitMs = Math.min(options.tickMs * 2 ** failures, MAX_FAILURE_BACKOFF_MS);
        deps.logger.error({ err: error, failures, retryInMs: waitMs }, 'Poller iteration failed');
      }
      if (claimed < options.batchSize) await abortableDelay(waitMs, controller.signal);
    }
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
  };
}

/** The provider with `signal` on every status and content call (creates are never cut: their outcome would be lost). */
function abortableProvider(provider: VideoProvider, signal: AbortSignal): VideoProvider {
  const withSignal = (own: AbortSignal | undefined) => ({ signal: own ? AbortSignal.any([own, signal]) : signal });
  return {
    create: (params, options) => provider.create(params, options),
    findCreated: (params, since, known) => provider.findCreated(params, since, known),
    retrieve: (jobId, options) => provider.retrieve(jobId, withSignal(options?.signal)),
    download: (jobId, variant, options) => provider.download(jobId, variant, withSignal(options?.signal)),
  };
}
