import { and, eq, getTableColumns, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { videos, type Video } from '../schema';
import type { Database } from '../types';
import { isActiveGeneration } from './active-status';

export interface DueClaim {
  videos: Video[];
  /** The database clock at the claim, in ms. */
  dbNowMs: number;
}

/**
 * Leases a batch of active generations that are due for a poll, in ONE statement: a CTE locks due rows with
 * FOR UPDATE SKIP LOCKED (rows another worker is claiming right now are skipped, not waited for), and the UPDATE
 * writes lease owner and expiry before the locks go. Expired leases are taken over. Uses the partial index on
 * next_poll_at, which covers active states only.
 */
export async function claimDueVideos(db: Database, args: { owner: string; limit: number; leaseMs: number }): Promise<DueClaim> {
  const due = db.$with('due').as(
    db
      .select({ id: videos.id })
      .from(videos)
      .where(
        and(
          isActiveGeneration(),
          lte(videos.nextPollAt, sql`now()`),
          or(isNull(videos.leaseUntil), lt(videos.leaseUntil, sql`now()`)),
        ),
      )
      .orderBy(videos.nextPollAt)
      .limit(args.limit)
      .for('update', { skipLocked: true }),
  );
  const rows = await db
    .with(due)
    .update(videos)
    .set({ leaseOwner: args.owner, leaseUntil: sql`now() + ${args.leaseMs} * interval '1 millisecond'` })
    .where(inArray(videos.id, db.select({ id: due.id }).from(due)))
    .returning({ ...getTableColumns(videos), dbNowMs: sql<number>`extract(epoch from now())::float8 * 1000` });
  const dbNowMs = rows[0] ? Number(rows[0].dbNowMs) : Date.now();
  return { videos: rows.map(({ dbNowMs: _ignored, ...video }) => video), dbNowMs };
}

/**
 * Renews the leases `owner` still holds on `ids` to at least `leaseMs` from now (never shortening a longer one). A
 * worker calls it while their refreshes are under way, so a lease only runs out when its holder has stopped (died,
 * paused, cut off), and a claim waiting for the upstream budget or a concurrency slot is not taken over meanwhile.
 */
export async function renewVideoLeases(db: Database, args: { ids: string[]; owner: string; leaseMs: number }): Promise<number> {
  if (args.ids.length === 0) return 0;
  const rows = await db
    .update(videos)
    .set({ leaseUntil: sql`greatest(${videos.leaseUntil}, now() + ${args.leaseMs} * interval '1 millisecond')` })
    .where(and(inArray(videos.id, args.ids), eq(videos.leaseOwner, args.owner)))
    .returning({ id: videos.id });
  return rows.length;
}
