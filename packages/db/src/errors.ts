/** Another process (or another createDb in this one) holds the PGlite data directory. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly holder: { pid: number; hostname: string } | null,
    readonly lockFile: string,
  ) {
    const who = !holder
      ? 'an unknown process (unreadable lock file)'
      : holder.pid === process.pid
        ? `this process (pid ${holder.pid}), which opened it already`
        : `process ${holder.pid} on host ${holder.hostname}`;
    super(
      `The PGlite data directory ${dataDir} is in use by ${who}. Only one process may open it at a time: ` +
        `stop that process, point this one at another directory (DATA_DIR), or use PostgreSQL (DATABASE_URL) to run ` +
        `several instances. If no process is using it, delete ${lockFile}.`,
    );
  }
}

/** The PostgreSQL server could not be reached (or refused us) when the database was opened. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  constructor(
    /** host:port/database, never the password. */
    readonly target: string,
    override readonly cause: unknown,
  ) {
    super(`Cannot connect to PostgreSQL at ${target}: ${describeCause(cause)}`, { cause });
  }
}

/** DATABASE_URL is not a usable postgres:// URL. The message shows it with any password masked. */
export class InvalidDatabaseUrlError extends Error {
  override readonly name = 'InvalidDatabaseUrlError';
  constructor(
    readonly redactedUrl: string,
    readonly problem: string,
  ) {
    super(`Invalid DATABASE_URL "${redactedUrl}": ${problem}`);
  }
}

/** A list cursor that this package did not produce (tampered with, truncated, or from another list). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor(readonly cursor: string) {
    super(`Invalid list cursor "${cursor.slice(0, 80)}": pass back the nextCursor of the previous page unchanged`);
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length > 0) return describeCause(cause.errors[0]);
  if (cause instanceof Error) return cause.message || ('code' in cause ? String(cause.code) : cause.name);
  return String(cause);
}
