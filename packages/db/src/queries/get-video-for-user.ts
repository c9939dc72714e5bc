import { and, eq } from 'drizzle-orm';
import { videos, type Video } from '../schema';
import type { Database } from '../types';
import { isUuid } from './uuid';

/** The video if it exists AND belongs to `userId`; null otherwise, so another user's video looks like no video. */
export async function getVideoForUser(db: Database, userId: string, videoId: string): Promise<Video | null> {
  if (!isUuid(videoId)) return null;
  const [video] = await db
    .select()
    .from(videos)
    .where(and(eq(videos.id, videoId), eq(videos.userId, userId)))
    .limit(1);
  return video ?? null;
}
