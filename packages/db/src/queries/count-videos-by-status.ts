import { count, eq } from 'drizzle-orm';
import { GENERATION_STATUSES, videos, type GenerationStatus } from '../schema';
import type { Database } from '../types';

/** How many videos the user has in each status (every status present, zeros included): one grouped read. */
export async function countVideosByStatus(db: Database, userId: string): Promise<Record<GenerationStatus, number>> {
  const rows = await db
    .select({ status: videos.soraGenerationStatus, count: count() })
    .from(videos)
    .where(eq(videos.userId, userId))
    .groupBy(videos.soraGenerationStatus);
  const counts = Object.fromEntries(GENERATION_STATUSES.map((status) => [status, 0])) as Record<GenerationStatus, number>;
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}
