import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLeaseOwnerFactory, createPoller, createWebhookDispatcher, startLeftoverSweeper } from '@sora-monitor/core/server';
import { createDb } from '@sora-monitor/db';
import type { Logger } from 'pino';
import { buildApp } from './app';
import { resolveAuthSecret } from './auth-secret';
import type { Config } from './config';
import { secureDataDir } from './data-dir-permissions';
import { reserveFreePort } from './free-port';
import { createServices } from './services';
import { startUpstream } from './upstream';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_WEB_DIST = path.resolve(here, '../../web/dist');
const VERSION = (JSON.parse(readFileSync(path.resolve(here, '../package.json'), 'utf8')) as { version: string }).version;
const VITE_DEV_ORIGIN = 'http://localhost:5173';

/** Opens the database, the upstream and the HTTP server, in that order; close() undoes them in reverse. */
export async function startServer(config: Config, logger: Logger, webDistDir = DEFAULT_WEB_DIST): Promise<RunningServer> {
  const reservation = config.port === 0 ? await reserveFreePort(config.host) : null;
  const port = reservation?.port ?? config.port;
  const publicUrl = config.publicUrl ?? `http://localhost:${port}`;
  const trustedOrigins = [publicUrl, `http://localhost:${port}`, `http://127.0.0.1:${port}`];
  if (config.nodeEnv === 'development') trustedOrigins.push(VITE_DEV_ORIGIN);

  const database = await openDatabase(config, logger).catch(async (error: unknown) => {
    await reservation?.release();
    throw error;
  });
  const closers: Array<() => Promise<void>> = [() => database.close(), async () => await reservation?.release()];
  const closeAll = async () => {
    for (const close of closers) await close();
  };
  try {
    const upstream = await startUpstream(config, logger);
    closers.unshift(() => upstream.close());
    const authSecret = await resolveAuthSecret(config.authSecret, config.dataDir, logger);

    const { services, registry, metrics, close: closeServices } = await createServices({
      config,
      logger,
      database,
      upstream,
      authSecret,
      publicUrl,
      trustedOrigins,
      version: VERSION,
    });
    closers.unshift(closeServices);
    const storage = (await services.readiness()).storage;
    if (storage.warning) logger.warn({ blobStore: storage.kind }, storage.warning);
    else logger.info({ blobStore: storage.kind }, 'Videos are stored in %s', storage.kind === 's3' ? 'the S3 bucket' : 'DATA_DIR/blobs');
    const leftovers = startLeftoverSweeper({
      db: services.db,
      blobs: services.generations.blobs,
      logger: logger.child({ component: 'leftovers' }),
      minAgeMs: config.blobLeftoverAgeMs,
    });
    closers.unshift(() => leftovers.stop());

    const webhookSecret = config.openai.webhookSecret ?? (upstream.info.simulated ? generateWebhookSecret() : undefined);
    const app = await buildApp({
      logger,
      webDistDir,
      services,
      registry,
      role: config.role,
      webhookSecret,
      trustedOrigins,
      metricsToken: config.metricsToken,
      serveSourceMaps: config.nodeEnv === 'development',
      connectionLimits: { requestTimeoutMs: config.limits.requestTimeoutMs, connectionsPerIp: config.limits.connectionsPerIp },
    });
    closers.unshift(() => app.close());
    await reservation?.release();
    await app.listen({ port, host: config.host });
    if (webhookSecret && config.role !== 'worker') {
      upstream.connectWebhooks(`http://127.0.0.1:${port}/api/webhooks/openai`, webhookSecret);
    }

    if (config.role !== 'api') {
      const poller = createPoller({ ...services.generations, metrics }, config.poller);
      poller.start();
      // Half the shutdown grace period for work in flight (a download, say) to finish; then it is cut short and its
      // leases released, leaving the other half to close the rest, so SIGTERM still ends in a clean exit.
      closers.unshift(() => poller.stop({ graceMs: Math.floor(config.shutdownGraceMs / 2) }));
      logger.info({ pollIntervalMs: config.pollIntervalMs }, 'Background poller started');
      const webhooks = createWebhookDispatcher({
        db: services.db,
        listen: (channel, onPayload, onReconnect) => database.listen(channel, onPayload, onReconnect),
        logger: logger.child({ component: 'outgoing-webhooks' }),
        settings: services.outgoingWebhooks.settings,
        nextLeaseOwner: createLeaseOwnerFactory(),
      });
      await webhooks.start();
      closers.unshift(() => webhooks.stop());
    }
    logger.info({ url: publicUrl, role: config.role }, 'Sora Monitor is listening on %s', publicUrl);
    return { url: publicUrl, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** A per-process secret for the built-in simulator's signed webhooks (Standard Webhooks `whsec_` format). */
function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** Secures DATA_DIR and opens the database (PostgreSQL at DATABASE_URL, else PGlite in DATA_DIR). */
async function openDatabase(config: Config, logger: Logger) {
  await secureDataDir(config.dataDir, logger);
  const database = await createDb(
    config.databaseUrl
      ? { databaseUrl: config.databaseUrl, logger, endStalledSessions: true }
      : { dataDir: path.resolve(config.dataDir, 'pglite'), logger },
  );
  logger.info({ database: database.kind }, 'Database ready (%s)', database.kind);
  // PGlite (Emscripten's file system) sets 0666 on the files it creates, whatever the umask: tighten them once it has
  // opened. Files it creates later may be 0666 again, but they sit in 0700 directories no one else can enter.
  if (!config.databaseUrl) await secureDataDir(config.dataDir, logger, 'debug');
  return database;
}
