import { and, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { videos } from '../schema';
import { isActiveGeneration } from './active-status';

/**
 * SQL for core's `stuckVerdict`: an active generation with a job, no live lease, below 100 %, the last status
 * request answered, and no progress by the database clock for `timeoutMs` since the later of the last progress
 * change and the first answer after an outage. Shared by the sweeper's pre-filter and the list's "stuck" filter.
 */
export function isStuckNow(timeoutMs: number): SQL {
  const cutoff = sql`now() - ${timeoutMs} * interval '1 millisecond'`;
  return and(
    isActiveGeneration(),
    isNotNull(videos.soraJobId),
    or(isNull(videos.leaseUntil), lte(videos.leaseUntil, sql`now()`)),
    lt(videos.soraProgress, 100),
    sql`${videos.pollFailures} = 0`,
    lte(videos.upstreamAnsweringSince, cutoff),
    lte(sql`coalesce(${videos.progressChangedAt}, ${videos.soraStartedAt}, ${videos.upstreamAnsweringSince})`, cutoff),
  )!;
}
