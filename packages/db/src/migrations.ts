import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { executeRows } from './rows';
import type { Database } from './types';

/** The committed drizzle-kit output, found relative to this file so it works from any working directory. */
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/**
 * How many committed migrations the database has not applied yet. Mirrors drizzle's migrator, which applies every
 * migration newer than the newest one recorded in drizzle.__drizzle_migrations.
 */
export async function countPendingMigrations(db: Database): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const [table] = await executeRows<{ exists: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as "exists"`,
  );
  if (!table?.exists) return migrations.length;
  const [latest] = await executeRows<{ createdAt: string | number | null }>(
    db,
    sql`select max(created_at) as "createdAt" from drizzle.__drizzle_migrations`,
  );
  const appliedUpTo = latest?.createdAt == null ? -1 : Number(latest.createdAt);
  return migrations.filter((migration) => migration.folderMillis > appliedUpTo).length;
}
