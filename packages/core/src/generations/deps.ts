import type { Database } from '@sora-monitor/db';
import type { Logger } from 'pino';
import type { BlobStore } from '../blob';
import { DEFAULT_MODEL_CATALOG, type ModelCatalog } from '../domain';
import type { VideoProvider } from '../provider';
import type { PollSchedule } from './poll-schedule';
import type { RecentPolls } from './recent-polls';

export interface GenerationSettings {
  /** A status request asks upstream only when the stored state is older than this. */
  statusFreshnessMs: number;
  /** How long a refresh may hold a video's row lease before others may take it over. */
  leaseMs: number;
  /** The lease while a finished video is being downloaded (large files take a while). */
  downloadLeaseMs: number;
  /** Most a finished video's download (the whole body) may take; past it the transfer is cut and tried again later. */
  downloadTimeoutMs: number;
  /** The poll interval; adaptive scheduling stays within [pollIntervalMs / 6, pollIntervalMs * 2]. */
  pollIntervalMs: number;
  /** Attempts a video may have in total, counting automatic retries of transient failures. */
  maxAttempts: number;
  /** The first automatic retry's delay; it doubles (with jitter) per attempt. */
  retryBaseMs: number;
  /** No progress for this long fails a generation as stuck (the sweeper, by the database clock). */
  stuckTimeoutMs: number;
  /** Most a user's generations may cost per UTC day (estimated list price, USD); null means no cap. */
  dailySpendCapUsd: number | null;
  /** The models offered, with sizes, durations and prices (the built-in ones unless the operator configures others). */
  catalog: ModelCatalog;
  /** What the spend cap counts a second of video without a known price as (USD); null: the catalog's highest price. */
  unknownPriceUsdPerSecond: number | null;
  /** The delay before a missing thumbnail is tried again; it doubles per try (`THUMBNAIL_MAX_TRIES` in all). */
  thumbnailRetryBaseMs: number;
  /** Where the app serves a stored video. */
  contentUrl: (videoId: string) => string;
}

/** What the generation services need; created once by the server (or a test) and passed in. */
export interface GenerationDeps {
  db: Database;
  provider: VideoProvider;
  blobs: BlobStore;
  logger: Logger;
  settings: GenerationSettings;
  nextLeaseOwner: () => string;
  random?: () => number;
  /** Spreads each generation's polls so that all of them together fit the upstream budget; none: no floor. */
  pollSchedule?: PollSchedule;
  /** Where this process's polls are noted (watched videos keep one instance's rhythm by it). */
  recentPolls?: RecentPolls;
}

export const DEFAULT_GENERATION_SETTINGS: GenerationSettings = {
  statusFreshnessMs: 5_000,
  leaseMs: 60_000,
  downloadLeaseMs: 10 * 60_000,
  downloadTimeoutMs: 20 * 60_000,
  pollIntervalMs: 30_000,
  maxAttempts: 3,
  retryBaseMs: 30_000,
  stuckTimeoutMs: 15 * 60_000,
  // Off unless configured: the server passes its own default (DAILY_SPEND_CAP_USD); library users opt in.
  dailySpendCapUsd: null,
  catalog: DEFAULT_MODEL_CATALOG,
  unknownPriceUsdPerSecond: null,
  thumbnailRetryBaseMs: 60_000,
  contentUrl: (videoId) => `/api/videos/${videoId}/content`,
};
