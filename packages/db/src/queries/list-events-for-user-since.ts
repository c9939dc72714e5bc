import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { soraEvents, type Event } from '../schema';
import type { Database } from '../types';
import { isUuid } from './uuid';

/**
 * The user's events after `afterEventId`, oldest first: what a subscription resuming from an SSE Last-Event-ID
 * missed. Ids are allocated at insert, not at commit, so a transaction committing late can land behind an id already
 * seen; treat events as hints and re-read current state.
 */
export async function listEventsForUserSince(
  db: Database,
  userId: string,
  afterEventId: number,
  options: { videoId?: string; limit: number },
): Promise<Event[]> {
  if (options.videoId !== undefined && !isUuid(options.videoId)) return [];
  return db
    .select()
    .from(soraEvents)
    .where(
      and(
        eq(soraEvents.userId, userId),
        gt(soraEvents.id, afterEventId),
        // Only events no still-running transaction can precede: see soraEvents.txId.
        sql`${soraEvents.txId} < pg_snapshot_xmin(pg_current_snapshot())`,
        options.videoId ? eq(soraEvents.videoId, options.videoId) : undefined,
      ),
    )
    .orderBy(asc(soraEvents.id))
    .limit(Math.max(1, options.limit));
}
