import { createHash } from 'node:crypto';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrationsFolder } from '../migrations';

let key: string | null = null;

/**
 * A short hash of the committed migrations: names the migrated test templates, so a new migration gets new ones. Read
 * once per process (every test database asks for it; the files do not change under a running test).
 */
export function migrationsKey(): string {
  if (key === null) {
    const hash = createHash('sha256');
    for (const migration of readMigrationFiles({ migrationsFolder })) hash.update(migration.hash);
    key = hash.digest('hex').slice(0, 16);
  }
  return key;
}
