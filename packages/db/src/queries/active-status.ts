import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { videos } from '../schema';

/**
 * `status in ('queued', 'in_progress')` with the values inlined, not bound: the planner only uses the partial index
 * videos_active_next_poll_idx when it can prove the query's condition implies the index predicate, which it cannot
 * do with parameters under a generic prepared plan. Use this in every "active videos" query.
 */
export function isActiveGeneration(column: PgColumn = videos.soraGenerationStatus): SQL {
  return sql`${column} in ('queued', 'in_progress')`;
}
