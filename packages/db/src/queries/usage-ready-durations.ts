import { sql, type SQL } from 'drizzle-orm';
import { executeRows } from '../rows';
import type { Database } from '../types';

/** Time from request to ready (the video stored) of completed attempts; model and size null = all of them. */
export interface ReadyDurations {
  model: string | null;
  size: string | null;
  count: number;
  p50Ms: number;
  p95Ms: number;
}

/**
 * p50 and p95 of request → ready per model and size, plus one row over everything (model and size null), for one
 * user's attempts requested since `since`. "Ready" is the completion event's time: the database clock at the
 * moment the video was stored, not the upstream's own `completed_at`.
 */
export async function listReadyDurations(db: Database, args: { userId: string; since: Date }): Promise<ReadyDurations[]> {
  const rows = await executeRows<{ model: string | null; size: string | null; count: number | string; p50: number | string; p95: number | string; total: boolean }>(
    db,
    readyDurationsQuery(args),
  );
  return rows
    .filter((row) => Number(row.count) > 0)
    .map((row) => ({
      model: row.total ? null : row.model,
      size: row.total ? null : row.size,
      count: Number(row.count),
      p50Ms: Math.round(Number(row.p50)),
      p95Ms: Math.round(Number(row.p95)),
    }));
}

/** The query itself, unexecuted, so a test can check its plan (both indexes). */
export function readyDurationsQuery(args: { userId: string; since: Date }): SQL {
  return sql`with ready as (
          select g.model, g.size,
                 extract(epoch from (
                   (select min(e.created_at) from sora_events e where e.generation_id = g.id and e.to_status = 'completed')
                   - g.requested_at))::float8 * 1000 as ms
          from sora_generations g
          where g.user_id = ${args.userId} and g.requested_at >= ${args.since.toISOString()}::timestamptz
            and g.status = 'completed'
        )
        select model, size, count(*) as "count", grouping(model, size) = 3 as "total",
               percentile_cont(0.5) within group (order by ms) as "p50",
               percentile_cont(0.95) within group (order by ms) as "p95"
        from ready where ms is not null
        group by grouping sets ((model, size), ())
        order by "total", model, size`;
}
