import { sql } from 'drizzle-orm';
import { assertChannelName } from './channel';
import type { Database } from './types';

/**
 * Sends a NOTIFY through `db` (usually a transaction): PostgreSQL delivers it when that transaction commits and
 * drops it if it rolls back, so listeners never hear about a change that did not happen. Keep payloads to ids.
 */
export async function notify(db: Database, channel: string, payload: string): Promise<void> {
  assertChannelName(channel);
  await db.execute(sql`select pg_notify(${channel}, ${payload})`);
}
