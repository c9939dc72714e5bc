import { createHash } from 'node:crypto';
import { APPLICATION_NAME } from '@sora-monitor/db';
import postgres from 'postgres';

/** The table rate-limiter-flexible keeps its counters in: one row per key (`<limit>:<user>`), shared by every instance. */
export const RATE_LIMIT_TABLE = 'rate_limits';

/** What RateLimiterPostgres calls on a `storeType: 'pool'` client: node-postgres's query shape. */
export interface PgStyleClient {
  query(query: { text: string; values?: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface RateLimitStore {
  client: PgStyleClient;
  /** Creates the counters table once (instances starting together may race; that is fine). */
  ensureTable(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Counters in PostgreSQL, so N instances on one database share one budget per user instead of allowing N times the
 * limit. rate-limiter-flexible speaks node-postgres; this adapts a small postgres.js pool of its own (the driver the
 * rest of the server uses) to that shape, with the same short connect timeout so an outage fails fast.
 */
export function createPostgresRateLimitStore(databaseUrl: string): RateLimitStore {
  const sql = postgres(databaseUrl, {
    max: 2,
    connect_timeout: 3,
    onnotice: () => undefined,
    connection: { application_name: APPLICATION_NAME }, // named like the instance's other sessions
  });
  let created: Promise<void> | null = null;
  return {
    client: {
      async query({ text, values }) {
        const rows = await sql.unsafe(text, (values ?? []) as postgres.ParameterOrJSON<never>[]);
        return { rows: [...rows] };
      },
    },
    ensureTable() {
      created ??= sql
        .unsafe(
          `create table if not exists "${RATE_LIMIT_TABLE}" (key varchar(255) primary key, points integer not null default 0, expire bigint)`,
        )
        .then(
          () => undefined,
          (error: { code?: string }) => {
            if (error.code === '23505') return; // another instance created it at the same moment
            created = null; // try again on the next request
            throw error;
          },
        );
      return created;
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/** Keys are at most 255 characters in the table; a longer one (an absurd email address) is hashed instead. */
export function storableKey(key: string): string {
  return key.length <= 200 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}
