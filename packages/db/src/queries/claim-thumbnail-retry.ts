import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { videos } from '../schema';
import type { Database } from '../types';
import { claimVideoLease, type RefreshClaim } from './claim-video-for-refresh';

/**
 * Takes the row lease of one completed video whose missing thumbnail is due for another try (`next_poll_at` passed,
 * the service's copy not yet expired), in one statement, so only one caller in any process asks the service for it.
 * Null when no try is due or someone else holds the lease.
 */
export async function claimThumbnailRetry(
  db: Database,
  args: { videoId: string; owner: string; leaseMs: number },
): Promise<RefreshClaim | null> {
  return claimVideoLease(db, args.videoId, args.owner, args.leaseMs, [thumbnailRetryDue()]);
}

/** A completed video without a thumbnail whose next try is due, while the service still has its copy. */
function thumbnailRetryDue() {
  return and(
    eq(videos.soraGenerationStatus, 'completed'),
    isNull(videos.thumbnailBlobKey),
    lte(videos.nextPollAt, sql`now()`),
    or(isNull(videos.upstreamExpiresAt), sql`${videos.upstreamExpiresAt} > now()`),
  );
}

/**
 * Ids of completed videos whose missing thumbnail is due for another try, oldest plan first. Not indexed (such rows
 * are rare and the worker asks once per sweep interval, not per tick); each is then claimed with `claimThumbnailRetry`.
 */
export async function listDueThumbnailRetries(db: Database, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: videos.id })
    .from(videos)
    .where(thumbnailRetryDue())
    .orderBy(videos.nextPollAt)
    .limit(limit);
  return rows.map((row) => row.id);
}
