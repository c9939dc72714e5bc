import { createDb } from '../create-db';
import { openPglite } from '../open-pglite';
import type { DbHandle, DbLogger } from '../types';
import { openReusedPglite } from './reused-pglite';
import { createDatabaseOn, databaseUrlOn, type CreateDatabaseOptions, type TestDatabase } from './postgres-databases';

/*
 * Test databases. This is the one place test code reads the environment: TEST_DATABASE_URL (a PostgreSQL server
 * URL) selects PostgreSQL, with a fresh database per call; unset or empty selects in-memory PGlite (an emptied,
 * reused one: reused-pglite.ts).
 */

export type { CreateDatabaseOptions, TestDatabase };

export interface TestDb {
  handle: DbHandle;
  /** Closes the handle and, on PostgreSQL, drops the database. */
  cleanup(): Promise<void>;
}

function serverUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

function requireServerUrl(caller: string): string {
  const url = serverUrl();
  if (!url) throw new Error(`${caller} needs TEST_DATABASE_URL (a PostgreSQL server URL) to be set`);
  return url;
}

export function testDbKind(): 'postgres' | 'pglite' {
  return serverUrl() ? 'postgres' : 'pglite';
}

/** The URL of database `name` on the TEST_DATABASE_URL server. */
export function testDatabaseUrl(name: string): string {
  return databaseUrlOn(requireServerUrl('testDatabaseUrl()'), name);
}

/**
 * A fresh, uniquely named database on the TEST_DATABASE_URL server (e.g. for tests that spawn processes): empty, or
 * with every migration applied (`migrated`, a copy of a template made once per server).
 */
export function createTestDatabase(options: CreateDatabaseOptions = {}): Promise<TestDatabase> {
  return createDatabaseOn(requireServerUrl('createTestDatabase()'), options);
}

/** A migrated database (unless `migrate: false`): a fresh one on TEST_DATABASE_URL's server, else in-memory PGlite. */
export async function createTestDb(options: { logger?: DbLogger; migrate?: boolean; onQuery?: (sql: string) => void } = {}): Promise<TestDb> {
  if (!serverUrl()) {
    const handle =
      (options.migrate ?? true)
        ? await openReusedPglite({ logger: options.logger, onQuery: options.onQuery })
        : await openPglite({ logger: options.logger, migrate: false, onQuery: options.onQuery });
    return { handle, cleanup: () => handle.close() };
  }
  const database = await createDatabaseOn(requireServerUrl('createTestDb()'), { migrated: options.migrate ?? true });
  let handle: DbHandle;
  try {
    handle = await createDb({ databaseUrl: database.url, max: 4, ...options });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    handle,
    cleanup: async () => {
      await handle.close();
      await database.drop();
    },
  };
}

export { seedAttemptHistory, type SeedAttempt, type SeededAttempt, type SeedRequestedAt } from './seed-attempt-history';
export { directUsageDays } from './direct-usage';
export { commitNoteChange } from './commit-note';
