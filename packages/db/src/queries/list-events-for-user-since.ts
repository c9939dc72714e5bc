import { and, asc, eq, getTableColumns, gt, sql } from 'drizzle-orm';
import { soraEvents, type Event } from '../schema';
import type { Database } from '../types';
import { isUuid } from './uuid';

export interface EventsSince {
  /** Events after the cursor, oldest first, that no still-running transaction can precede. */
  events: Event[];
  /**
   * True when a later event exists but is held back because an older transaction (anywhere on the server) is still
   * open. No notification will announce the moment it becomes readable, so the caller must read again shortly.
   */
  heldBack: boolean;
}

/**
 * The user's events after `afterEventId`, oldest first: what a subscription resuming from an SSE Last-Event-ID
 * missed. Ids are allocated at insert, not at commit, so only events whose transaction is older than every running
 * transaction are returned (see soraEvents.txId): a late commit can never land behind an id already handed out.
 */
export async function listEventsForUserSince(
  db: Database,
  userId: string,
  afterEventId: number,
  options: { videoId?: string; limit: number },
): Promise<EventsSince> {
  if (options.videoId !== undefined && !isUuid(options.videoId)) return { events: [], heldBack: false };
  const rows = await db
    .select({ ...getTableColumns(soraEvents), settled: sql<boolean>`${soraEvents.txId} < pg_snapshot_xmin(pg_current_snapshot())` })
    .from(soraEvents)
    .where(
      and(
        eq(soraEvents.userId, userId),
        gt(soraEvents.id, afterEventId),
        options.videoId ? eq(soraEvents.videoId, options.videoId) : undefined,
      ),
    )
    .orderBy(asc(soraEvents.id))
    .limit(Math.max(1, options.limit));
  const events: Event[] = [];
  for (const { settled, ...event } of rows) {
    // Stop at the first unsettled event: handing out a later one would move the cursor past it for good.
    if (!settled) return { events, heldBack: true };
    events.push(event);
  }
  return { events, heldBack: false };
}
