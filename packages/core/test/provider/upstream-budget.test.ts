import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createUpstreamBudget } from '../../src/provider';

// A fake clock: how long a caller waits is then exact, whatever else the machine is doing.
beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
afterEach(() => vi.useRealTimers());

/** Resolves to `{ settled, waited }` so a test can look at an acquire that may still be waiting. */
function track(promise: Promise<number>) {
  const state = { settled: false, waited: -1 };
  void promise.then((waited) => Object.assign(state, { settled: true, waited }));
  return state;
}

describe('createUpstreamBudget', () => {
  it('pauses every caller for exactly the retry-after it was given, to the millisecond', async () => {
    const budget = createUpstreamBudget(1_000);
    const first = track(budget.acquire());
    await vi.advanceTimersByTimeAsync(0);
    expect(first).toEqual({ settled: true, waited: 0 });

    await budget.pauseFor(60);
    const callers = [track(budget.acquire()), track(budget.acquire())];
    await vi.advanceTimersByTimeAsync(59);
    expect(callers.map((caller) => caller.settled)).toEqual([false, false]);
    // Not rounded up to whole seconds: both go at 60 ms.
    await vi.advanceTimersByTimeAsync(1);
    expect(callers).toEqual([
      { settled: true, waited: 60 },
      { settled: true, waited: 60 },
    ]);
  });

  it('never lets a shorter pause cut a longer one short', async () => {
    const budget = createUpstreamBudget(1_000);
    await budget.pauseFor(120);
    await budget.pauseFor(10);
    const caller = track(budget.acquire());
    await vi.advanceTimersByTimeAsync(119);
    expect(caller.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(caller).toEqual({ settled: true, waited: 120 });
  });

  it('serves a user\'s call before the poller\'s when both wait for the next minute', async () => {
    const budget = createUpstreamBudget(2);
    await Promise.all([budget.acquire(), budget.acquire('background')]);
    const order: string[] = [];
    const poller = budget.acquire('background').then(() => order.push('background'));
    const user = budget.acquire('interactive').then(() => order.push('interactive'));
    await vi.advanceTimersByTimeAsync(59_000);
    expect(order).toEqual([]);
    // The window turns: two requests for the new minute, the user's first although the poller asked first.
    await vi.advanceTimersByTimeAsync(1_001);
    await Promise.all([poller, user]);
    expect(order).toEqual(['interactive', 'background']);
  });
});
