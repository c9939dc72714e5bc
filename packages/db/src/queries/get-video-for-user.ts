import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { videos, type Video } from '../schema';
import type { Database } from '../types';
import { isUuid } from './uuid';

/** The video if it exists AND belongs to `userId`; null otherwise, so another user's video looks like no video. */
export async function getVideoForUser(db: Database, userId: string, videoId: string): Promise<Video | null> {
  return (await getVideoForUserWithClock(db, userId, videoId))?.video ?? null;
}

const prepareVideoRead = (db: Database) =>
  db
    .select({ ...getTableColumns(videos), dbNowMs: sql<number>`extract(epoch from now())::float8 * 1000` })
    .from(videos)
    .where(and(eq(videos.id, sql.placeholder('videoId')), eq(videos.userId, sql.placeholder('userId'))))
    .limit(1)
    .prepare('get_video_for_user');

// Every video request reads its row through here (the ownership check), so the query is built once per database
// handle: building it took about 250 µs of CPU per call, most of a status request's cost beyond the session lookup.
const preparedReads = new WeakMap<Database, ReturnType<typeof prepareVideoRead>>();

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
  let read = preparedReads.get(db);
  if (!read) preparedReads.set(db, (read = prepareVideoRead(db)));
  const [row] = await read.execute({ videoId, userId });
  if (!row) return null;
  const { dbNowMs, ...video } = row;
  return { video, dbNowMs: Number(dbNowMs) };
}
