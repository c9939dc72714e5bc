import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { videos, type GenerationStatus, type Video } from '../schema';
import type { Database } from '../types';
import { decodeVideoCursor, encodeVideoCursor } from './video-cursor';

export interface ListVideosOptions {
  /** The previous page's nextCursor; absent for the first page. An invalid one throws InvalidCursorError. */
  cursor?: string | null;
  /** Page size, clamped to 1..100. */
  limit: number;
  status?: GenerationStatus | readonly GenerationStatus[];
}

export interface VideoPage {
  items: Video[];
  /** Pass back to get the next page; null on the last page. */
  nextCursor: string | null;
}

const MAX_PAGE = 100;

/** The user's videos, newest first, paged by a keyset cursor on (created_at, id) (index videos_user_created_idx). */
export async function listVideosForUser(db: Database, userId: string, options: ListVideosOptions): Promise<VideoPage> {
  const limit = Math.min(Math.max(Math.trunc(options.limit), 1), MAX_PAGE);
  const rows = await videosPageQuery(db, userId, { ...options, limit });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => row.video),
    nextCursor: rows.length > limit && last ? encodeVideoCursor({ createdAt: last.exactCreatedAt, id: last.video.id }) : null,
  };
}

/** The query behind listVideosForUser, fetching one row more than a page; exported for the index test's EXPLAIN. */
export function videosPageQuery(db: Database, userId: string, options: ListVideosOptions) {
  const after = options.cursor ? decodeVideoCursor(options.cursor) : null;
  const statuses = options.status === undefined ? null : typeof options.status === 'string' ? [options.status] : options.status;
  return db
    .select({
      video: videos,
      exactCreatedAt: sql<string>`to_char(${videos.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(videos)
    .where(
      and(
        eq(videos.userId, userId),
        statuses ? inArray(videos.soraGenerationStatus, [...statuses]) : undefined,
        after ? sql`(${videos.createdAt}, ${videos.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(videos.createdAt), desc(videos.id))
    .limit(options.limit + 1); // the extra row tells whether there is a next page
}
