import { describe, expect, it } from 'vitest';
import { nextPollAt, pollSpacing, POLL_BUDGET_SHARE } from '../../src/domain';

const STUCK = 15 * 60_000;

describe('pollSpacing (each generation\'s share of the upstream budget)', () => {
  it('spreads A active generations over the poller\'s share of R requests a minute', () => {
    // 100 jobs, 120 a minute, 80 % of it planned: 100 ÷ 96 minutes between two polls of one job.
    expect(pollSpacing({ activeJobs: 100, requestsPerMinute: 120, stuckTimeoutMs: STUCK })).toEqual({ minDelayMs: 62_500, capped: false });
    expect(POLL_BUDGET_SHARE).toBe(0.8);
    // Double the budget, half the spacing; double the jobs, double it.
    expect(pollSpacing({ activeJobs: 100, requestsPerMinute: 240, stuckTimeoutMs: STUCK }).minDelayMs).toBe(31_250);
    expect(pollSpacing({ activeJobs: 200, requestsPerMinute: 120, stuckTimeoutMs: STUCK }).minDelayMs).toBe(125_000);
  });

  it('sets no floor when nothing is active or no budget is known', () => {
    expect(pollSpacing({ activeJobs: 0, requestsPerMinute: 120, stuckTimeoutMs: STUCK })).toEqual({ minDelayMs: 0, capped: false });
    expect(pollSpacing({ activeJobs: 10, requestsPerMinute: 0, stuckTimeoutMs: STUCK })).toEqual({ minDelayMs: 0, capped: false });
    expect(pollSpacing({ activeJobs: Number.NaN, requestsPerMinute: 120, stuckTimeoutMs: STUCK })).toEqual({ minDelayMs: 0, capped: false });
  });

  it('never spaces polls wider than a third of the stuck timeout, and says so', () => {
    // 500 jobs at 120 a minute would need 312.5 s; a job looked at that rarely could pass for stuck after 15 minutes.
    expect(pollSpacing({ activeJobs: 500, requestsPerMinute: 120, stuckTimeoutMs: STUCK })).toEqual({ minDelayMs: 300_000, capped: true });
  });
});

describe('nextPollAt under a poll spacing', () => {
  const now = new Date('2026-05-01T12:00:00.000Z');
  const settings = { pollIntervalMs: 30_000 };
  const after = (at: Date | null) => (at === null ? null : at.getTime() - now.getTime());

  it('pushes the adaptive cadence out to the spacing, and leaves it alone when it is already wider', () => {
    const tracking = { status: 'in_progress' as const, progress: 40 };
    expect(after(nextPollAt(now, tracking, null, settings, () => 0.5))).toBe(30_000);
    expect(after(nextPollAt(now, tracking, null, settings, () => 0.5, 62_500))).toBe(62_500);
    expect(after(nextPollAt(now, tracking, null, settings, () => 0.5, 10_000))).toBe(30_000);
    // Queued jobs already wait twice the interval.
    expect(after(nextPollAt(now, { status: 'queued', progress: 0 }, null, settings, () => 0.5, 45_000))).toBe(60_000);
  });

  it('holds a retry-after to the spacing too: the budget is the same budget', () => {
    const limited = { kind: 'temporarily_unavailable', reason: 'rate_limited', message: '', retryAfterMs: 1_000, pollFailures: 1 } as const;
    expect(after(nextPollAt(now, { status: 'in_progress', progress: 40 }, limited, settings, () => 0.5, 62_500))).toBe(62_500);
  });

  it('schedules nothing for a finished generation, whatever the spacing', () => {
    const completed = { kind: 'completed', thumbnailRetryAt: null } as const;
    expect(nextPollAt(now, { status: 'completed', progress: 100 }, completed, settings, () => 0.5, 62_500)).toBeNull();
  });
});
