import { and, eq } from 'drizzle-orm';
import { videos, type Video } from '../schema';
import type { Database } from '../types';
import { isUuid } from './uuid';

/**
 * Deletes the user's video (its generations and events go with it, by cascade) and returns the deleted row, whose
 * blob keys the caller needs to remove the files; null when there was no such video for this user.
 */
export async function deleteVideoForUser(db: Database, userId: string, videoId: string): Promise<Video | null> {
  if (!isUuid(videoId)) return null;
  const [video] = await db
    .delete(videos)
    .where(and(eq(videos.id, videoId), eq(videos.userId, userId)))
    .returning();
  return video ?? null;
}
