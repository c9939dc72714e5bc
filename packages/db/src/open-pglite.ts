import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { assertChannelName } from './channel';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { countPendingMigrations, migrationsFolder } from './migrations';
import { startPglite } from './pglite-start';
import { queryLogger } from './query-logger';
import * as schema from './schema';
import type { Database, DbHandle, DbLogger } from './types';

export interface PgliteConfig {
  /** A directory for the database files (created if missing); omitted means in memory. */
  dataDir?: string;
  /** In memory only: start from this dump (PGlite's dumpDataDir) instead of an empty cluster; much faster. */
  loadDataDir?: Blob;
  logger?: DbLogger;
  migrate?: boolean;
  onQuery?: (sql: string) => void;
}

/** Embedded PostgreSQL (WASM) in this process: a data directory locked to this process, or memory. */
export async function openPglite(config: PgliteConfig): Promise<DbHandle> {
  const lock: DataDirLock | null = config.dataDir
    ? await acquireDataDirLock(config.dataDir, config.logger)
    : null;
  let client: PGlite | undefined;
  try {
    client = await startPglite(
      config.dataDir ? { dataDir: path.resolve(config.dataDir) } : { loadDataDir: config.loadDataDir },
    );
    if (config.migrate !== false) {
      const unlogged = drizzle({ client, schema });
      const pending = await countPendingMigrations(unlogged);
      if (pending > 0) {
        await migrate(unlogged, { migrationsFolder });
        config.logger?.info({ applied: pending }, 'Applied database migrations');
      }
    }
    const opened = client;
    return pgliteHandle(client, {
      logger: config.logger,
      onQuery: config.onQuery,
      close: async () => {
        try {
          if (!opened.closed) await opened.close();
        } finally {
          lock?.release();
        }
      },
    });
  } catch (error) {
    await client?.close().catch(() => undefined);
    lock?.release();
    throw error;
  }
}

export interface PgliteHandleOptions {
  logger?: DbLogger;
  onQuery?: (sql: string) => void;
  /** Ends this handle: runs once, however often `close` is called. */
  close: () => Promise<void>;
}

/** A DbHandle over a PGlite client someone else opened (openPglite, or the tests' reused databases). */
export function pgliteHandle(client: PGlite, options: PgliteHandleOptions): DbHandle {
  const db: Database = drizzle({ client, schema, logger: queryLogger(options.onQuery) });
  let closing: Promise<void> | null = null;
  return {
    db,
    kind: 'pglite',
    // In-process: there is no connection to lose, so onReconnect never runs.
    listen: async (channel, onPayload) => {
      assertChannelName(channel);
      return client.listen(channel, (payload) => {
        try {
          onPayload(payload);
        } catch (error) {
          options.logger?.error({ err: error, channel }, 'LISTEN onPayload callback threw');
        }
      });
    },
    ping: async () => {
      await client.query('select 1');
    },
    migrationsApplied: async () => (await countPendingMigrations(db)) === 0,
    close: () => (closing ??= options.close()),
  };
}
