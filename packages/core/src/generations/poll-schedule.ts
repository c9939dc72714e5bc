import { countActiveByStatus, type Database } from '@sora-monitor/db';
import type { Logger } from 'pino';
import { pollSpacing } from '../domain';

/** The poller's spacing for the current load (see `pollSpacing`), kept up to date from the database. */
export interface PollSchedule {
  /** The least time between two polls of one generation right now (ms); 0 until the first count is in. */
  spacingMs(): number;
}

export interface PollScheduleOptions {
  db: Database;
  logger: Logger;
  /** The API key's budget, shared by every instance (UPSTREAM_RPM). */
  requestsPerMinute: number;
  stuckTimeoutMs: number;
  /** How old the count of active generations may get before it is taken again. */
  recountEveryMs?: number;
}

const DEFAULT_RECOUNT_EVERY_MS = 10_000;

/**
 * Counts the active generations (every instance's: the count is the database's) at most every `recountEveryMs`, in
 * the background of whichever refresh asks, and turns the count into the spacing that keeps polling within the
 * budget. A refresh never waits for the count: it uses the last one.
 */
export function createPollSchedule(options: PollScheduleOptions): PollSchedule {
  const recountEveryMs = options.recountEveryMs ?? DEFAULT_RECOUNT_EVERY_MS;
  let spacingMs = 0;
  let countedAt = Number.NEGATIVE_INFINITY;
  let counting = false;
  let warnedCapped = false;

  async function recount(): Promise<void> {
    const counts = await countActiveByStatus(options.db);
    const activeJobs = Object.values(counts).reduce((sum, count) => sum + (count ?? 0), 0);
    const spacing = pollSpacing({ activeJobs, requestsPerMinute: options.requestsPerMinute, stuckTimeoutMs: options.stuckTimeoutMs });
    spacingMs = spacing.minDelayMs;
    if (spacing.capped && !warnedCapped) {
      options.logger.warn(
        { activeJobs, upstreamRpm: options.requestsPerMinute, spacingMs },
        'More generations are active than UPSTREAM_RPM can poll within a third of the stuck timeout; the budget paces the polls',
      );
    }
    warnedCapped = spacing.capped;
  }

  return {
    spacingMs() {
      if (!counting && Date.now() - countedAt >= recountEveryMs) {
        counting = true;
        countedAt = Date.now();
        recount()
          .catch((error: unknown) => options.logger.warn({ err: error }, 'Could not count active generations; keeping the last poll spacing'))
          .finally(() => (counting = false));
      }
      return spacingMs;
    },
  };
}
