import { and, eq } from 'drizzle-orm';
import { videos } from '../schema';
import type { Database } from '../types';

/**
 * The distinct error codes of the user's failed videos (null for a failure stored without one): few, whatever the
 * number of videos, so core can tell which belong to a kind of failure and filter the list by them.
 */
export async function listFailureCodesForUser(db: Database, userId: string): Promise<(string | null)[]> {
  const rows = await db
    .selectDistinct({ code: videos.soraErrorCode })
    .from(videos)
    .where(and(eq(videos.userId, userId), eq(videos.soraGenerationStatus, 'failed')));
  return rows.map((row) => row.code);
}
