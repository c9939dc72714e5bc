import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { parseDatabaseUrl } from './database-url';
import { DatabaseUnavailableError } from './errors';
import { countPendingMigrations, migrationsFolder } from './migrations';
import { PostgresListener } from './postgres-listener';
import { queryLogger } from './query-logger';
import * as schema from './schema';
import { startStalledSessionReaper } from './stalled-sessions';
import type { Database, DbHandle, DbLogger } from './types';

export interface PostgresConfig {
  databaseUrl: string;
  logger?: DbLogger;
  migrate?: boolean;
  onQuery?: (sql: string) => void;
  max?: number;
  connectTimeoutSeconds?: number;
  /** The server ends a session idle inside a transaction this long (default 15 s). */
  idleInTransactionTimeoutMs?: number;
  /**
   * Ends this application's sessions left stalled mid-statement inside a transaction for that long too (see
   * `endStalledSessions`): what the idle timeout cannot see. Long-running processes turn it on; tests need not.
   */
  endStalledSessions?: boolean;
}

type ConnectionOptions = postgres.Options<Record<string, postgres.PostgresType>>;

/** Any constant works; it only has to be the same in every process that migrates this database. */
const MIGRATION_LOCK_KEY = '7351902114';

/** Far longer than any transaction of ours takes, well inside a lease (LEASE_MS, 60 s by default). */
export const DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS = 15_000;

/**
 * Every instance names its sessions alike, so one can tell its fleet's sessions from anyone else's on the database
 * (`pg_stat_activity`, and the stalled-session reaper). A DATABASE_URL `?application_name=` still wins.
 */
export const APPLICATION_NAME = 'sora-monitor';

export async function openPostgres(config: PostgresConfig): Promise<DbHandle> {
  const target = parseDatabaseUrl(config.databaseUrl);
  const idleTimeoutMs = config.idleInTransactionTimeoutMs ?? DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS;
  const connection: ConnectionOptions = {
    // Short, so that while the server is unreachable a request fails within seconds (a 503) instead of hanging.
    connect_timeout: config.connectTimeoutSeconds ?? 3,
    // postgres.js waits its backoff before a closed connection tries again, and a query handed to that connection
    // waits with it: the default grows to 20 s after a few failures, so while the server is down a health check or a
    // request would hang that long. At most 1 s (jittered) keeps every request's failure, and the recovery, quick.
    backoff: (retries: number) => Math.min(0.1 * 2 ** retries, 1) * (0.5 + Math.random() / 2),
    // NOTICEs such as "schema drizzle already exists, skipping" are not worth a log line.
    onnotice: () => undefined,
    // Our transactions only ever wait on the database. One left idle (its process stopped, paused or cut off between
    // two statements) would keep its row locks, and `SKIP LOCKED` claims would pass those rows over for as long as
    // it lasts: the server ends such a session instead, so a stalled worker's generations can be taken over.
    connection: { application_name: APPLICATION_NAME, idle_in_transaction_session_timeout: idleTimeoutMs },
  };
  const client = postgres(config.databaseUrl, { ...connection, max: config.max ?? 10 });
  const db: Database = drizzle({ client, schema, logger: queryLogger(config.onQuery) });

  try {
    // postgres.js connects lazily: try once now so a wrong URL fails at start-up, not on the first request.
    await client`select 1`;
  } catch (error) {
    await client.end({ timeout: 0 });
    throw new DatabaseUnavailableError(target.display, error);
  }
  try {
    if (config.migrate !== false) await migrateUnderLock(config.databaseUrl, connection, config.logger);
  } catch (error) {
    await client.end({ timeout: 0 });
    throw error;
  }

  const listener = new PostgresListener(config.databaseUrl, connection, config.logger);
  const reaper = config.endStalledSessions
    ? startStalledSessionReaper(db, { stalledForMs: idleTimeoutMs, everyMs: idleTimeoutMs / 3, logger: config.logger })
    : null;
  let closing: Promise<void> | null = null;
  return {
    db,
    kind: 'postgres',
    listen: (channel, onPayload, onReconnect) => listener.listen(channel, onPayload, onReconnect),
    ping: async () => {
      await client`select 1`;
    },
    migrationsApplied: async () => (await countPendingMigrations(db)) === 0,
    close: () => {
      reaper?.stop();
      return (closing ??= Promise.all([listener.close(), client.end({ timeout: 5 })]).then(() => undefined));
    },
  };
}

/**
 * Several processes may start together on one database (API and worker roles, rolling deploys). drizzle's migrator
 * is not safe to run concurrently, so each takes a session advisory lock first; the server frees it if we crash.
 */
async function migrateUnderLock(url: string, connection: ConnectionOptions, logger: DbLogger | undefined): Promise<void> {
  const client = postgres(url, { ...connection, max: 1 });
  try {
    await client.unsafe(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    const db = drizzle({ client, schema });
    const pending = await countPendingMigrations(db);
    if (pending > 0) {
      await migrate(db, { migrationsFolder });
      logger?.info({ applied: pending }, 'Applied database migrations');
    }
    await client.unsafe(`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
  } finally {
    await client.end({ timeout: 5 });
  }
}
