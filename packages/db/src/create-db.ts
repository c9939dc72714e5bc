import { openPglite } from './open-pglite';
import { openPostgres } from './open-postgres';
import type { DbConfig, DbHandle } from './types';

/**
 * Opens the database the configuration names: PostgreSQL over postgres.js (`databaseUrl`), or embedded PGlite in a
 * directory (`dataDir`, one process per directory) or in memory. Applies the committed migrations unless
 * `migrate: false`. Reads no environment: the caller decides.
 */
export async function createDb(config: DbConfig): Promise<DbHandle> {
  if ('databaseUrl' in config) return openPostgres(config);
  const { logger, migrate, onQuery } = config;
  if ('dataDir' in config) return openPglite({ dataDir: config.dataDir, logger, migrate, onQuery });
  return openPglite({ logger, migrate, onQuery });
}
