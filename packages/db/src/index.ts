export { createDb } from './create-db';
export type { Database, DbConfig, DbHandle, DbLogger, Schema, Tx, Unlisten } from './types';
export { DataDirLockedError, DatabaseUnavailableError, InvalidCursorError, InvalidDatabaseUrlError, isDatabaseUnavailableError } from './errors';
export { LOCK_FILE_NAME } from './data-dir-lock';
export { redactDatabaseUrl } from './database-url';
export { migrationsFolder, countPendingMigrations } from './migrations';
export { notify } from './notify';
export * from './schema';
export * from './queries';
