import { and, getTableColumns, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { videos, type Video } from '../schema';
import type { Database } from '../types';

/**
 * Takes failed videos whose automatic retry is due, clearing `auto_retry_at` in the same statement (SKIP LOCKED),
 * so each planned retry is started by exactly one worker.
 */
export async function claimDueRetries(db: Database, limit: number): Promise<Video[]> {
  const due = db.$with('due_retry').as(
    db
      .select({ id: videos.id })
      .from(videos)
      .where(and(isNotNull(videos.autoRetryAt), lte(videos.autoRetryAt, sql`now()`)))
      .orderBy(videos.autoRetryAt)
      .limit(limit)
      .for('update', { skipLocked: true }),
  );
  const claimed = await db
    .with(due)
    .update(videos)
    .set({ autoRetryAt: null })
    .where(inArray(videos.id, db.select({ id: due.id }).from(due)))
    .returning(getTableColumns(videos));
  // A plan made obsolete (the user reset or regenerated meanwhile) is cleared above and dropped here.
  return claimed.filter((video) => video.soraGenerationStatus === 'failed');
}
