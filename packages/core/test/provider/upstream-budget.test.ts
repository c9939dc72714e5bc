import { describe, expect, it } from 'vitest';
import { createUpstreamBudget } from '../../src/provider';

describe('createUpstreamBudget', () => {
  it('pauses every caller for exactly the retry-after it was given, to the millisecond', async () => {
    const budget = createUpstreamBudget(1_000);
    expect(await budget.acquire()).toBeLessThan(20);

    await budget.pauseFor(60);
    const waits = await Promise.all([budget.acquire(), budget.acquire()]);
    for (const waited of waits) {
      expect(waited).toBeGreaterThanOrEqual(50);
      // Not rounded up to whole seconds.
      expect(waited).toBeLessThan(400);
    }
  });

  it('never lets a shorter pause cut a longer one short', async () => {
    const budget = createUpstreamBudget(1_000);
    await budget.pauseFor(120);
    await budget.pauseFor(10);
    expect(await budget.acquire()).toBeGreaterThanOrEqual(100);
  });
});
