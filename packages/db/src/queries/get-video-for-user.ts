import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { videos, type Video } from '../schema';
import type { Database } from '../types';
import { isUuid } from './uuid';

/** The video if it exists AND belongs to `userId`; null otherwise, so another user's video looks like no video. */
export async function getVideoForUser(db: Database, userId: string, videoId: string): Promise<Video | null> {
  return (await getVideoForUserWithClock(db, userId, videoId))?.video ?? null;
}

/**
 * `getVideoForUser` with the database clock at the read, in ms: enough to decide from this one row whether its state
 * is fresh (no second read, no clock skew between processes).
 */
export async function getVideoForUserWithClock(
  db: Database,
  userId: string,
  videoId: string,
): Promise<{ video: Video; dbNowMs: number } | null> {
  if (!isUuid(videoId)) return null;
  const [row] = await db
    .select({ ...getTableColumns(videos), dbNowMs: sql<number>`extract(epoch from now())::float8 * 1000` })
    .from(videos)
    .where(and(eq(videos.id, videoId), eq(videos.userId, userId)))
    .limit(1);
  if (!row) return null;
  const { dbNowMs, ...video } = row;
  return { video, dbNowMs: Number(dbNowMs) };
}
