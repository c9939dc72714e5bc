import { count } from 'drizzle-orm';
import { videos, type GenerationStatus } from '../schema';
import type { Database } from '../types';
import { isActiveGeneration } from './active-status';

/** How many generations are queued and in progress right now (for the metrics gauge). */
export async function countActiveByStatus(db: Database): Promise<Partial<Record<GenerationStatus, number>>> {
  const rows = await db
    .select({ status: videos.soraGenerationStatus, count: count() })
    .from(videos)
    .where(isActiveGeneration())
    .groupBy(videos.soraGenerationStatus);
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}
