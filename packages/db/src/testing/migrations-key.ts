import { createHash } from 'node:crypto';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrationsFolder } from '../migrations';

/** A short hash of the committed migrations: names the migrated test templates, so a new migration gets new ones. */
export function migrationsKey(): string {
  const hash = createHash('sha256');
  for (const migration of readMigrationFiles({ migrationsFolder })) hash.update(migration.hash);
  return hash.digest('hex').slice(0, 16);
}
