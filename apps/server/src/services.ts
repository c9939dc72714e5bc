import path from 'node:path';
import type { AppServices } from '@sora-monitor/core';
import type { Metrics } from '@sora-monitor/core/server';
import type { Registry } from 'prom-client';
import { createAppServices } from '@sora-monitor/core/server';
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
export function createServices(
  options: ServiceOptions,
): Promise<{ services: AppServices; metrics: Metrics; registry: Registry; close(): Promise<void> }> {
  const { config } = options;
  return createAppServices({
    database: options.database,
    openai: options.upstream.client,
    providerInfo: options.upstream.info,
    blobDir: path.resolve(config.dataDir, 'blobs'),
    authSecret: options.authSecret,
    publicUrl: options.publicUrl,
    trustedOrigins: options.trustedOrigins,
    logger: options.logger,
    version: options.version,
    // Driver messages, SQL and stack traces help while developing; in production they stay in the log.
    exposeErrors: config.nodeEnv !== 'production',
    upstreamRequestsPerMinute: config.upstreamRequestsPerMinute,
    rateLimits: config.rateLimits,
    settings: {
      pollIntervalMs: config.pollIntervalMs,
      statusFreshnessMs: config.statusFreshnessMs,
      leaseMs: config.leaseMs,
      // Leases are renewed while a download runs (see lease-heartbeat.ts), so a download needs no longer one: a
      // worker that dies mid-download has its generations taken over within LEASE_MS, not minutes later.
      downloadLeaseMs: config.leaseMs,
      stuckTimeoutMs: config.stuckTimeoutMs,
      maxAttempts: config.maxAttempts,
      retryBaseMs: config.retryBaseMs,
      dailySpendCapUsd: config.dailySpendCapUsd,
    },
  });
}
