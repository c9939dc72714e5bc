import path from 'node:path';
import type { AppServices } from '@sora-monitor/core';
import type { Metrics } from '@sora-monitor/core/server';
import type { Registry } from 'prom-client';
import { createAppServices, createFsBlobStore, DEFAULT_OUTGOING_WEBHOOK_SETTINGS, openS3BlobStore } from '@sora-monitor/core/server';
import type { DbHandle } from '@sora-monitor/db';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Upstream } from './upstream';

export interface ServiceOptions {
  config: Config;
  logger: Logger;
  database: DbHandle;
  upstream: Upstream;
  authSecret: string;
  publicUrl: string;
  trustedOrigins: string[];
  version: string;
}

/** The server's configuration mapped onto core's service wiring. */
export async function createServices(
  options: ServiceOptions,
): Promise<{ services: AppServices; metrics: Metrics; registry: Registry; close(): Promise<void> }> {
  const { config } = options;
  return createAppServices({
    database: options.database,
    openai: options.upstream.client,
    providerInfo: options.upstream.info,
    blobs:
      config.blobStore.kind === 's3'
        ? await openS3BlobStore(config.blobStore)
        : createFsBlobStore(path.resolve(config.dataDir, 'blobs')),
    authSecret: options.authSecret,
    publicUrl: options.publicUrl,
    trustedOrigins: options.trustedOrigins,
    logger: options.logger,
    version: options.version,
    // Driver messages, SQL and stack traces help while developing; in production they stay in the log.
    exposeErrors: config.nodeEnv !== 'production',
    upstreamRequestsPerMinute: config.upstreamRequestsPerMinute,
    rateLimits: config.rateLimits,
    rateLimitDatabaseUrl: options.database.kind === 'postgres' ? config.databaseUrl : undefined,
    outgoingWebhooks: {
      addressPolicy: config.outgoingWebhooks.addressPolicy,
      timeoutMs: config.outgoingWebhooks.timeoutMs,
      retry: { ...DEFAULT_OUTGOING_WEBHOOK_SETTINGS.retry, baseMs: config.outgoingWebhooks.retryBaseMs },
    },
    userCaps: { subscriptionsPerUser: config.limits.subscriptionsPerUser, apiTokensPerUser: config.limits.apiTokensPerUser },
    settings: {
      pollIntervalMs: config.pollIntervalMs,
      statusFreshnessMs: config.statusFreshnessMs,
      leaseMs: config.leaseMs,
      // Leases are renewed while a download runs (see lease-heartbeat.ts), so a download needs no longer one: a
      // worker that dies mid-download has its generations taken over within LEASE_MS, not minutes later.
      downloadLeaseMs: config.leaseMs,
      downloadTimeoutMs: config.downloadTimeoutMs,
      stuckTimeoutMs: config.stuckTimeoutMs,
      maxAttempts: config.maxAttempts,
      retryBaseMs: config.retryBaseMs,
      thumbnailRetryBaseMs: config.thumbnailRetryBaseMs,
      dailySpendCapUsd: config.dailySpendCapUsd,
      catalog: config.catalog,
      unknownPriceUsdPerSecond: config.unknownPriceUsdPerSecond,
    },
  });
}
