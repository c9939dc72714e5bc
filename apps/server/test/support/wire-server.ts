import { createTestDb, type TestDb } from '@sora-monitor/db/testing';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from '../../src/app';
import type { Config } from '../../src/config';
import { createServices } from '../../src/services';
import type { Upstream } from '../../src/upstream';
import { PUBLIC_URL } from './http-app';

export interface WiredServer {
  app: FastifyInstance;
  database: TestDb;
  built: Awaited<ReturnType<typeof createServices>>;
}

/**
 * The server's own wiring from a parsed configuration (createServices → buildApp, as start.ts does) over a fresh
 * test database (PGlite, or PostgreSQL with TEST_DATABASE_URL). Each part's cleanup is pushed onto `cleanups`, to be
 * run in reverse by the caller.
 */
export async function wireServer(
  config: Config,
  logger: Logger,
  upstream: Upstream,
  cleanups: Array<() => Promise<unknown>>,
): Promise<WiredServer> {
  const database = await createTestDb();
  cleanups.push(() => database.cleanup());
  const built = await createServices({
    config,
    logger,
    database: database.handle,
    upstream,
    authSecret: config.authSecret!,
    publicUrl: PUBLIC_URL,
    trustedOrigins: [PUBLIC_URL],
    version: 'test',
  });
  cleanups.push(() => built.close());
  const app = await buildApp({
    logger,
    webDistDir: '/nonexistent',
    services: built.services,
    registry: built.registry,
    trustedOrigins: [PUBLIC_URL],
    metricsToken: config.metricsToken,
  });
  cleanups.push(() => app.close());
  return { app, database, built };
}
