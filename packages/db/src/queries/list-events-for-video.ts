import { desc, eq } from 'drizzle-orm';
import { soraEvents, type Event } from '../schema';
import type { Database } from '../types';
import { isUuid } from './uuid';

/** A video's audit trail, newest first. Not scoped by user: check ownership of the video first. */
export async function listEventsForVideo(db: Database, videoId: string, options: { limit?: number } = {}): Promise<Event[]> {
  if (!isUuid(videoId)) return [];
  return db
    .select()
    .from(soraEvents)
    .where(eq(soraEvents.videoId, videoId))
    .orderBy(desc(soraEvents.id))
    .limit(Math.max(1, options.limit ?? 100));
}
