import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { videos, type Video } from '../schema';
import type { Database } from '../types';
import { videoFilters, type VideoFilters } from './video-filters';
import { decodeVideoCursor, encodeVideoCursor, type SortOrder, type VideoCursor, type VideoSort } from './video-cursor';

export interface ListVideosOptions extends VideoFilters {
  /** The previous page's nextCursor (or it decoded); absent for the first page. An invalid one throws InvalidCursorError. */
  cursor?: string | VideoCursor | null;
  /** Page size, clamped to 1..100. */
  limit: number;
  /** Default 'created'. */
  sort?: VideoSort;
  /** Default 'desc' (newest, dearest, longest first). */
  order?: SortOrder;
}

export interface VideoPage {
  items: Video[];
  /** Pass back to get the next page; null on the last page. */
  nextCursor: string | null;
}

/** A cursor made for another sort or order than the request's: it would skip or repeat videos. */
export class CursorSortMismatchError extends Error {
  override readonly name = 'CursorSortMismatchError';
  constructor(cursor: VideoCursor, sort: VideoSort, order: SortOrder) {
    super(
      `cursor is for sort=${cursor.sort} order=${cursor.order}, but this request asks for sort=${sort} order=${order}: ` +
        'start again without a cursor',
    );
  }
}

const MAX_PAGE = 100;

/**
 * The user's videos, filtered and sorted, paged by a keyset cursor on (sort key, id): a page is one index seek from the
 * previous page's last row, never an offset. "created" uses videos_user_created_idx; the other sorts read the user's
 * rows through the user_id prefix of that index and sort them (fine at thousands of videos per user).
 */
export async function listVideosForUser(db: Database, userId: string, options: ListVideosOptions): Promise<VideoPage> {
  const limit = Math.min(Math.max(Math.trunc(options.limit), 1), MAX_PAGE);
  const rows = await videosPageQuery(db, userId, { ...options, limit });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const sort = options.sort ?? 'created';
  const order = options.order ?? 'desc';
  return {
    items: page.map((row) => row.video),
    nextCursor: rows.length > limit && last ? encodeVideoCursor({ sort, order, key: last.sortKey, id: last.video.id }) : null,
  };
}

/** The query behind listVideosForUser, fetching one row more than a page; exported for the index test's EXPLAIN. */
export function videosPageQuery(db: Database, userId: string, options: ListVideosOptions) {
  const sort = options.sort ?? 'created';
  const order = options.order ?? 'desc';
  const after = !options.cursor ? null : typeof options.cursor === 'string' ? decodeVideoCursor(options.cursor) : options.cursor;
  if (after && (after.sort !== sort || after.order !== order)) throw new CursorSortMismatchError(after, sort, order);
  const key = SORT_KEYS[sort];
  const direction = order === 'desc' ? desc : asc;
  return db
    .select({ video: videos, sortKey: key.asText })
    .from(videos)
    .where(
      and(
        eq(videos.userId, userId),
        ...videoFilters(options),
        after ? sql`(${key.expression}, ${videos.id}) ${sql.raw(order === 'desc' ? '<' : '>')} (${key.parse(after.key)}, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(direction(key.expression), direction(videos.id))
    .limit(options.limit + 1); // the extra row tells whether there is a next page
}

interface SortKey {
  /** Never null, so the row comparison of the keyset holds for every video. */
  expression: SQL;
  /** The key as the cursor carries it, exactly (microseconds, cents). */
  asText: SQL<string>;
  parse: (key: string) => SQL;
}

const exactTimestamp = (column: typeof videos.createdAt): SQL<string> =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

// A video without a cost (never started) has cost nothing: 0.
const costExpression = sql`coalesce(${videos.soraGenerationCost}, 0)`;

const SORT_KEYS: Record<VideoSort, SortKey> = {
  created: { expression: sql`${videos.createdAt}`, asText: exactTimestamp(videos.createdAt), parse: (key) => sql`${key}::timestamptz` },
  updated: { expression: sql`${videos.updatedAt}`, asText: exactTimestamp(videos.updatedAt), parse: (key) => sql`${key}::timestamptz` },
  cost: { expression: costExpression, asText: sql<string>`${costExpression}::text`, parse: (key) => sql`${key}::numeric` },
  duration: { expression: sql`${videos.seconds}`, asText: sql<string>`${videos.seconds}::text`, parse: (key) => sql`${key}::integer` },
};

