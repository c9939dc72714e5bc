import { asc, getTableColumns, sql } from 'drizzle-orm';
import { videos, type Video } from '../schema';
import type { Database } from '../types';
import { isStuckNow } from './stuck-predicate';

export interface StuckCandidates {
  videos: Video[];
  /** The database clock at the read, in ms: the one clock the stuck decision measures with. */
  dbNowMs: number;
}

/**
 * Active generations that MAY be stuck, oldest first: a job, no live lease, below 100 %, the last status request
 * answered, and no progress by the database clock for `timeoutMs` since the later of the last progress change and
 * the first answer after an outage. Only a pre-filter that keeps the scan small: core's `stuckVerdict` decides, and
 * nothing is written here.
 */
export async function listStuckCandidates(
  db: Database,
  args: { timeoutMs: number; limit: number },
): Promise<StuckCandidates> {
  const rows = await db
    .select({ ...getTableColumns(videos), dbNowMs: sql<number>`extract(epoch from now())::float8 * 1000` })
    .from(videos)
    .where(isStuckNow(args.timeoutMs))
    .orderBy(asc(videos.progressChangedAt))
    .limit(args.limit);
  const dbNowMs = rows[0] ? Number(rows[0].dbNowMs) : Date.now();
  return { videos: rows.map(({ dbNowMs: _ignored, ...video }) => video), dbNowMs };
}
