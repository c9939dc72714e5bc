import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from './config';
import { OWNER_ONLY_UMASK } from './data-dir-permissions';
import { createLogger } from './logger';
import { startServer, type RunningServer } from './start';

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${error.message}\nFix the variables above and start again.`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * First signal: drain and close within the grace period. Second signal, or the grace period running out: exit now.
 * One stop request can arrive twice: under `pnpm start` a SIGTERM or Ctrl-C reaches the whole process group and pnpm
 * forwards it to us as well. A signal this soon after the first is that same request; a later one means "now".
 */
const SAME_REQUEST_MS = 1_000;

function handleShutdown(server: RunningServer, logger: Logger, graceMs: number): void {
  let stoppingSince: number | null = null;
  const stop = (signal: NodeJS.Signals) => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince < SAME_REQUEST_MS) return;
      logger.warn({ signal }, 'Second signal: exiting immediately');
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.info({ signal, graceMs }, 'Shutting down');
    const timer = setTimeout(() => {
      logger.error({ graceMs }, 'Shutdown took longer than the grace period; exiting');
      process.exit(1);
    }, graceMs);
    timer.unref();
    server.close().then(
      () => {
        logger.info('Stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'Error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// Production unless told otherwise (`pnpm dev` says development): set before anything reads it, so libraries that
// look at NODE_ENV themselves (better-auth, fastify's plugins) agree with the server's own configuration.
if (!process.env.NODE_ENV) process.env.NODE_ENV = 'production';
// Everything the process creates (the embedded database's files, videos, the generated secret) is owner-only.
process.umask(OWNER_ONLY_UMASK);
const config = readConfig();
const logger = createLogger(config);
try {
  const server = await startServer(config, logger);
  handleShutdown(server, logger, config.shutdownGraceMs);
} catch (error) {
  logger.fatal({ err: error }, error instanceof Error ? error.message : 'Start-up failed');
  // pino writes asynchronously; give it a tick to flush before exiting.
  setTimeout(() => process.exit(1), 50);
}
