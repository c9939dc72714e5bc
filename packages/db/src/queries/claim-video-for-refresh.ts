import { and, eq, getTableColumns, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { videos, type Video } from '../schema';
import type { Database } from '../types';
import { isActiveGeneration } from './active-status';

export interface RefreshClaim {
  video: Video;
  /** The database clock at the claim, in ms. */
  dbNowMs: number;
}

/**
 * Takes the row lease of one active video whose state is older than `freshForMs`, in one statement, so that of
 * every request, poller and webhook in every process only one asks upstream at a time. Null when the video is not
 * active, is fresh enough, or someone else holds an unexpired lease: the caller then answers from the row.
 */
export async function claimVideoForRefresh(
  db: Database,
  args: { videoId: string; owner: string; freshForMs: number; leaseMs: number },
): Promise<RefreshClaim | null> {
  return claimVideoLease(db, args.videoId, args.owner, args.leaseMs, [
    isActiveGeneration(),
    or(isNull(videos.lastPolledAt), sql`${videos.lastPolledAt} <= now() - ${args.freshForMs} * interval '1 millisecond'`),
  ]);
}

/**
 * Takes the row lease of one video when `conditions` hold and no one holds an unexpired lease, in one statement
 * (the compare-and-set every lease in every process goes through). Returns the row and the database clock.
 */
export async function claimVideoLease(
  db: Database,
  videoId: string,
  owner: string,
  leaseMs: number,
  conditions: Array<SQL | undefined>,
): Promise<RefreshClaim | null> {
  const [row] = await db
    .update(videos)
    .set({ leaseOwner: owner, leaseUntil: sql`now() + ${leaseMs} * interval '1 millisecond'` })
    .where(and(eq(videos.id, videoId), or(isNull(videos.leaseUntil), lt(videos.leaseUntil, sql`now()`)), ...conditions))
    .returning({ ...getTableColumns(videos), dbNowMs: sql<number>`extract(epoch from now())::float8 * 1000` });
  if (!row) return null;
  const { dbNowMs, ...video } = row;
  return { video, dbNowMs: Number(dbNowMs) };
}

/** Gives a lease back without other changes (e.g. after an error), only if we still hold it. */
export async function releaseVideoLease(db: Database, videoId: string, owner: string): Promise<void> {
  await db
    .update(videos)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(and(eq(videos.id, videoId), eq(videos.leaseOwner, owner)));
}

/** Extends a lease we hold (a long download); false when it was lost meanwhile. */
export async function extendVideoLease(db: Database, videoId: string, owner: string, leaseMs: number): Promise<boolean> {
  const rows = await db
    .update(videos)
    .set({ leaseUntil: sql`now() + ${leaseMs} * interval '1 millisecond'` })
    .where(and(eq(videos.id, videoId), eq(videos.leaseOwner, owner)))
    .returning({ id: videos.id });
  return rows.length > 0;
}
