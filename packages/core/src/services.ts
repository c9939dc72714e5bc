import type { DbHandle } from '@sora-monitor/db';
import type OpenAI from 'openai';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { createAuth, type RateLimitRule } from './auth';
import { createFsBlobStore } from './blob';
import { createVideoChangeHub } from './events';
import { createLeaseOwnerFactory, createRefresher, DEFAULT_GENERATION_SETTINGS, type GenerationDeps, type GenerationSettings } from './generations';
import { createMetrics, type Metrics } from './metrics';
import { createOpenAIProvider, createUpstreamBudget, withUpstreamBudget } from './provider';
import { createUserRateLimits, type RateLimitSettings } from './rate-limits/user-rate-limits';
import type { AppServices, ProviderInfo, Readiness } from './trpc/context';

const DEFAULT_UPSTREAM_RPM = 120;

export interface AppServicesOptions {
  database: DbHandle;
  openai: OpenAI;
  providerInfo: ProviderInfo;
  blobDir: string;
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
  /** Per-user request limits; unset ones keep DEFAULT_RATE_LIMITS. */
  rateLimits?: Partial<RateLimitSettings>;
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
  const budget = createUpstreamBudget(options.upstreamRequestsPerMinute ?? DEFAULT_UPSTREAM_RPM);
  const generations: GenerationDeps = {
    db: database.db,
    provider: withUpstreamBudget(createOpenAIProvider({ client: options.openai }), budget, metrics.provider),
    blobs: createFsBlobStore(options.blobDir),
    logger: logger.child({ component: 'generations' }),
    settings: { ...DEFAULT_GENERATION_SETTINGS, ...options.settings },
    nextLeaseOwner: createLeaseOwnerFactory(),
  };
  const videoChanges = createVideoChangeHub(database, logger.child({ component: 'changes' }));
  await videoChanges.start();

  const readiness = async (): Promise<Readiness> => {
    try {
      await database.ping();
      return { database: { kind: database.kind, reachable: true, migrated: await database.migrationsApplied() } };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { database: { kind: database.kind, reachable: false, migrated: false, error: message } };
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
    refresh: createRefresher(generations),
    videoChanges,
    exposeErrors: options.exposeErrors ?? false,
    rateLimits: createUserRateLimits(options.rateLimits),
  };
  return { services, metrics, registry, close: () => videoChanges.stop() };
}
