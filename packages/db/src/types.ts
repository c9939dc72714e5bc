import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type * as schema from './schema';

export type Schema = typeof schema;

/** The drizzle database, the same type over postgres.js and PGlite. A transaction (`Tx`) is also a `Database`. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

/** The `tx` of `db.transaction(async (tx) => …)`. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/** The subset of a pino logger this package uses. */
export interface DbLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

interface CommonOptions {
  logger?: DbLogger;
  /** Called with the text of every statement this handle sends (tests count statements per request with it). */
  onQuery?: (sql: string) => void;
  /** Apply the committed migrations on open (default true). */
  migrate?: boolean;
}

export type DbConfig =
  | (CommonOptions & {
      databaseUrl: string;
      /** Pool size (default 10). */
      max?: number;
      /** How long to wait for the server at start-up and on each new connection (default 3). */
      connectTimeoutSeconds?: number;
      /** The server ends a session left idle inside a transaction this long (default 15 s). */
      idleInTransactionTimeoutMs?: number;
      /** Also end this application's sessions stalled mid-statement in a transaction that long (long-running processes). */
      endStalledSessions?: boolean;
    })
  | (CommonOptions & { dataDir: string })
  | (CommonOptions & { memory: true });

export type Unlisten = () => Promise<void>;

export interface DbHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  /**
   * Subscribes to NOTIFYs on `channel` (lowercase letters, digits and _). `onReconnect` runs after the listening
   * connection was lost and re-established: notifications sent in between are gone, so re-read what you follow.
   */
  listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<Unlisten>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** Whether every committed migration is recorded as applied. */
  migrationsApplied(): Promise<boolean>;
  /** Closes connections (and releases the PGlite directory lock). Safe to call twice. */
  close(): Promise<void>;
}
