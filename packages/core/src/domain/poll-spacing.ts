/**
 * The share of the upstream budget the poller plans its schedule on. The rest is headroom for what cannot wait for a
 * schedule: creates, downloads and the refreshes of videos someone is watching (those also go first in the budget's
 * queue), so a full schedule never starves a user's own action.
 */
export const POLL_BUDGET_SHARE = 0.8;

/** Never spread polls wider than this fraction of the stuck timeout: a job looked at too rarely could pass for stuck. */
export const MAX_SPACING_OF_STUCK_TIMEOUT = 1 / 3;

export interface PollSpacingInput {
  /** Generations the poller follows right now, across every instance (queued and in progress). */
  activeJobs: number;
  /** The upstream budget of the API key (UPSTREAM_RPM), shared by every instance. */
  requestsPerMinute: number;
  stuckTimeoutMs: number;
}

export interface PollSpacing {
  /** The least time between two polls of one generation that keeps the schedule inside the budget; 0: no floor. */
  minDelayMs: number;
  /** True when the budget would need a wider spacing than the stuck timeout allows (the budget's queue then paces). */
  capped: boolean;
}

/**
 * How far apart the poller must schedule one generation's polls so that A active generations polled by every instance
 * together stay within `POLL_BUDGET_SHARE` of R requests a minute: A ÷ (R × share) minutes. With 500 jobs and a budget
 * of 120 a minute that is 5 minutes, not the 30-second interval that would ask for 1,000 a minute and leave every
 * request queued behind the budget.
 */
export function pollSpacing({ activeJobs, requestsPerMinute, stuckTimeoutMs }: PollSpacingInput): PollSpacing {
  if (!(activeJobs > 0) || !(requestsPerMinute > 0)) return { minDelayMs: 0, capped: false };
  const neededMs = Math.ceil((activeJobs * 60_000) / (requestsPerMinute * POLL_BUDGET_SHARE));
  const capMs = Math.floor(stuckTimeoutMs * MAX_SPACING_OF_STUCK_TIMEOUT);
  return neededMs > capMs ? { minDelayMs: capMs, capped: true } : { minDelayMs: neededMs, capped: false };
}
