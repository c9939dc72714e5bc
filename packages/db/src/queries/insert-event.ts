import { soraEvents, type Event, type NewEvent } from '../schema';
import type { Database } from '../types';

/** Appends an audit event; write it in the same transaction as the change it records. */
export async function insertEvent(db: Database, values: NewEvent): Promise<Event> {
  const [event] = await db.insert(soraEvents).values(values).returning();
  if (!event) throw new Error('INSERT INTO sora_events … RETURNING returned no row');
  return event;
}
