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
    super(
      `Invalid list cursor "${cursor.slice(0, 80)}": pass back the nextCursor of the previous page unchanged`,
    );
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length > 0) return describeCause(cause.errors[0]);
  if (cause instanceof Error) return cause.message || ('code' in cause ? String(cause.code) : cause.name);
  return String(cause);
}

/**
 * Error codes that mean "the database cannot be reached right now", not "this query is wrong": network failures
 * (Node's socket codes), postgres.js's own connection states, and PostgreSQL's connection and shutdown SQLSTATEs.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08006', // connection_failure
]);

/**
 * True when `error` (or anything in its cause chain: drizzle wraps driver errors, better-auth and our own code wrap
 * them again) says the database is unreachable. Callers turn that into "try again in a moment" instead of a 500.
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0 && seen.size < 20) {
    const current = pending.shift();
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    if (current instanceof DatabaseUnavailableError) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (current instanceof AggregateError) pending.push(...(current.errors as unknown[]));
    pending.push((current as { cause?: unknown }).cause);
  }
  return false;
}
