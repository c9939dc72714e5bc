import { createHash } from 'node:crypto';
import type { DbHandle } from '@sora-monitor/db';
import type OpenAI from 'openai';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { createAuth, type RateLimitRule } from './auth';
import { createFsBlobStore, type BlobStore } from './blob';
import { createVideoChangeHub } from './events';
import {
  createBackgroundDownloads,
  createLeaseOwnerFactory,
  createPollSchedule,
  createRecentPolls,
  createRefresher,
  createWatchedVideos,
  DEFAULT_GENERATION_SETTINGS,
  type GenerationDeps,
  type GenerationSettings,
} from './generations';
import { createMetrics, type Metrics } from './metrics';
import { DEFAULT_OUTGOING_WEBHOOK_SETTINGS, resolveWithSystem, type OutgoingWebhookSettings } from './outgoing-webhooks';
import { createOpenAIProvider, createUpstreamBudget, withUpstreamBudget } from './provider';
import { createPostgresRateLimitStore } from './rate-limits/postgres-store';
import { createUserCaps, type UserCapSettings } from './rate-limits/user-caps';
import { createUserRateLimits, type RateLimitSettings } from './rate-limits/user-rate-limits';
import type { AppServices, ProviderInfo, Readiness } from './trpc/context';

const DEFAULT_UPSTREAM_RPM = 120;
/** Two of the web page's 3 s polls and then some: a page that is closed stops costing upstream calls soon. */
const DEFAULT_WATCHED_LINGER_MS = 10_000;

export interface AppServicesOptions {
  database: DbHandle;
  openai: OpenAI;
  providerInfo: ProviderInfo;
  /** Where finished videos are stored: a ready store (S3, say), or a directory for the filesystem store. */
  blobs?: BlobStore;
  blobDir?: string;
  authSecret: string;
  publicUrl: string;
  trustedOrigins: string[];
  logger: Logger;
  version: string;
  settings?: Partial<GenerationSettings>;
  /** The requests-per-minute budget all upstream calls of this process share. */
  upstreamRequestsPerMinute?: number;
  registry?: Registry;
  signInRateLimit?: RateLimitRule;
  signUpRateLimit?: RateLimitRule;
  /** Show unexpected errors' own messages to callers (development); unset masks them, as production must. */
  exposeErrors?: boolean;
  /**
   * How long a video someone asked about stays watched (refreshed here every `statusFreshnessMs`) after the last
   * request; an open stream for it keeps it watched. Default 10 s; 0 leaves freshness to the requests themselves.
   */
  watchedLingerMs?: number;
  /** Per-user request limits; unset ones keep DEFAULT_RATE_LIMITS. */
  rateLimits?: Partial<RateLimitSettings>;
  /** The PostgreSQL URL when `database` is PostgreSQL: per-user limits are then counted there, across instances. */
  rateLimitDatabaseUrl?: string;
  /** Open streams and tokens per user; unset ones keep DEFAULT_USER_CAPS. */
  userCaps?: Partial<UserCapSettings>;
  /** Outgoing webhooks: address policy, back-off, timeout; unset ones keep DEFAULT_OUTGOING_WEBHOOK_SETTINGS. */
  outgoingWebhooks?: Partial<OutgoingWebhookSettings>;
}

/**
 * Builds the process-wide services from an opened database and an SDK client. The server calls it once at start-up;
 * tests call it with an in-memory database and the simulator, so both run exactly the same wiring.
 */
export async function createAppServices(
  options: AppServicesOptions,
): Promise<{ services: AppServices; metrics: Metrics; registry: Registry; close(): Promise<void> }> {
  const { database, logger } = options;
  const registry = options.registry ?? new Registry();
  const metrics = createMetrics(registry, database.db);
  const blobs = options.blobs ?? (options.blobDir ? createFsBlobStore(options.blobDir) : null);
  if (!blobs) throw new Error('createAppServices needs a blob store: pass `blobs` or `blobDir`');
  const rateLimitStore = options.rateLimitDatabaseUrl ? createPostgresRateLimitStore(options.rateLimitDatabaseUrl) : undefined;
  // On PostgreSQL the upstream budget belongs to the API key, shared by every instance; on PGlite (one process) to it.
  const upstreamRpm = options.upstreamRequestsPerMinute ?? DEFAULT_UPSTREAM_RPM;
  const budget = createUpstreamBudget(
    upstreamRpm,
    rateLimitStore ? { store: rateLimitStore, key: upstreamBudgetKey(options.openai) } : undefined,
  );
  const settings = { ...DEFAULT_GENERATION_SETTINGS, ...options.settings };
  const recentPolls = createRecentPolls();
  const generations: GenerationDeps = {
    db: database.db,
    provider: withUpstreamBudget(createOpenAIProvider({ client: options.openai }), budget, metrics.provider),
    blobs,
    logger: logger.child({ component: 'generations' }),
    settings,
    nextLeaseOwner: createLeaseOwnerFactory(),
    recentPolls,
    pollSchedule: createPollSchedule({
      db: database.db,
      logger: logger.child({ component: 'schedule' }),
      requestsPerMinute: upstreamRpm,
      stuckTimeoutMs: settings.stuckTimeoutMs,
    }),
  };
  // Finished videos found by status requests and webhooks are stored in the background (cut short on close).
  const backgroundDownloads = createBackgroundDownloads(generations);
  const videoChanges = createVideoChangeHub(database, logger.child({ component: 'changes' }));
  await videoChanges.start();
  const refresh = createRefresher(generations, { background: backgroundDownloads });
  const watched = createWatchedVideos({
    refresh,
    db: database.db,
    logger: logger.child({ component: 'watched' }),
    freshForMs: generations.settings.statusFreshnessMs,
    lingerMs: options.watchedLingerMs ?? DEFAULT_WATCHED_LINGER_MS,
    recentPolls,
  });

  const storage = storageReadiness(blobs.kind, database.kind);
  const readiness = async (): Promise<Readiness> => {
    try {
      await database.ping();
      return { database: { kind: database.kind, reachable: true, migrated: await database.migrationsApplied() }, storage };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { database: { kind: database.kind, reachable: false, migrated: false, error: message }, storage };
    }
  };

  const services: AppServices = {
    db: database.db,
    auth: createAuth({
      db: database.db,
      secret: options.authSecret,
      baseURL: options.publicUrl,
      trustedOrigins: options.trustedOrigins,
      logger: logger.child({ component: 'auth' }),
      ...(options.signInRateLimit ? { signInRateLimit: options.signInRateLimit } : {}),
      ...(options.signUpRateLimit ? { signUpRateLimit: options.signUpRateLimit } : {}),
    }),
    provider: options.providerInfo,
    readiness,
    version: options.version,
    generations,
    refresh,
    watched,
    videoChanges,
    exposeErrors: options.exposeErrors ?? false,
    rateLimits: createUserRateLimits(options.rateLimits, rateLimitStore),
    userCaps: createUserCaps(options.userCaps),
    outgoingWebhooks: { settings: { ...DEFAULT_OUTGOING_WEBHOOK_SETTINGS, ...options.outgoingWebhooks }, resolve: resolveWithSystem },
  };
  const close = async () => {
    watched.close();
    await backgroundDownloads.close();
    await videoChanges.stop();
    await rateLimitStore?.close();
  };
  return { services, metrics, registry, close };
}

/** Several instances can share a PostgreSQL database; they serve each other's videos only if they share the files too. */
export const SHARED_BLOB_DIR_WARNING =
  'DATA_DIR/blobs must be shared between instances: videos are stored on this machine, and with several instances on one DATABASE_URL each one serves only the videos it downloaded itself unless they share that directory (or set BLOB_STORE=s3)';

export function storageReadiness(blobKind: BlobStore['kind'], databaseKind: DbHandle['kind']): Readiness['storage'] {
  return blobKind === 'fs' && databaseKind === 'postgres' ? { kind: 'fs', warning: SHARED_BLOB_DIR_WARNING } : { kind: blobKind };
}

/** One budget per endpoint and API key: a digest of both, so the key itself is never stored. */
function upstreamBudgetKey(client: Pick<OpenAI, 'baseURL' | 'apiKey'>): string {
  return createHash('sha256').update(`${client.baseURL}\n${client.apiKey}`).digest('hex').slice(0, 32);
}
