import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { soraGenerations } from '../schema';
import type { Database } from '../types';

/**
 * How long recent completed generations with the same model, size and seconds took (ms, newest first): the honest
 * basis for a time estimate before a new generation reports any progress.
 */
export async function listPastDurations(
  db: Database,
  args: { model: string; size: string; seconds: number; limit: number },
): Promise<number[]> {
  const rows = await db
    .select({ ms: sql<number>`extract(epoch from (${soraGenerations.completedAt} - ${soraGenerations.startedAt}))::float8 * 1000` })
    .from(soraGenerations)
    .where(
      and(
        eq(soraGenerations.model, args.model),
        eq(soraGenerations.size, args.size),
        eq(soraGenerations.seconds, args.seconds),
        eq(soraGenerations.status, 'completed'),
        isNotNull(soraGenerations.startedAt),
        isNotNull(soraGenerations.completedAt),
      ),
    )
    .orderBy(desc(soraGenerations.completedAt))
    .limit(args.limit);
  return rows.map((row) => Math.round(Number(row.ms))).filter((ms) => Number.isFinite(ms) && ms > 0);
}
