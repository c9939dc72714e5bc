import { describe, expect, it } from 'vitest';
import { isRefreshDue, msUntilRefreshDue, type RefreshDueState } from '../../src/domain';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const at = (msAgo: number) => new Date(NOW - msAgo);
const state = (overrides: Partial<RefreshDueState> = {}): RefreshDueState => ({
  status: 'in_progress',
  lastPolledAt: at(10_000),
  leaseUntil: null,
  ...overrides,
});

describe('isRefreshDue', () => {
  it('is due when the stored state is at least the freshness window old (exactly the window is due)', () => {
    expect(isRefreshDue(state({ lastPolledAt: at(5_000) }), NOW, 5_000)).toBe(true);
    expect(isRefreshDue(state({ lastPolledAt: at(4_999) }), NOW, 5_000)).toBe(false);
  });

  it('is due for an active generation never polled, and with a window of 0 always', () => {
    expect(isRefreshDue(state({ lastPolledAt: null }), NOW, 60_000)).toBe(true);
    expect(isRefreshDue(state({ lastPolledAt: at(0) }), NOW, 0)).toBe(true);
  });

  it('is not due while someone holds a live lease; an expired lease does not count', () => {
    expect(isRefreshDue(state({ leaseUntil: new Date(NOW + 1) }), NOW, 5_000)).toBe(false);
    expect(isRefreshDue(state({ leaseUntil: new Date(NOW) }), NOW, 5_000)).toBe(false);
    expect(isRefreshDue(state({ leaseUntil: new Date(NOW - 1) }), NOW, 5_000)).toBe(true);
  });

  it('is never due for a generation that is not active', () => {
    for (const status of ['not_started', 'completed', 'failed'] as const) {
      expect(isRefreshDue(state({ status, lastPolledAt: null }), NOW, 0)).toBe(false);
    }
    expect(isRefreshDue(state({ status: 'queued', lastPolledAt: null }), NOW, 0)).toBe(true);
  });
});

describe('msUntilRefreshDue', () => {
  const active = state({ lastPolledAt: null });

  it('is 0 when a refresh is due now', () => {
    expect(msUntilRefreshDue(active, NOW, 5_000)).toBe(0);
    expect(msUntilRefreshDue({ ...active, lastPolledAt: at(6_000) }, NOW, 5_000)).toBe(0);
  });

  it('waits out the freshness of the stored state, by the database clock', () => {
    expect(msUntilRefreshDue({ ...active, lastPolledAt: at(2_000) }, NOW, 5_000)).toBe(3_000);
  });

  it('waits out a live lease, whichever ends later', () => {
    expect(msUntilRefreshDue({ ...active, lastPolledAt: at(6_000), leaseUntil: at(-10_000) }, NOW, 5_000)).toBe(10_001);
    expect(msUntilRefreshDue({ ...active, lastPolledAt: at(1_000), leaseUntil: at(500) }, NOW, 5_000)).toBe(4_000);
  });
});
