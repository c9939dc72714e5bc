import { describe, expect, it } from 'vitest';
import { backoffDelayMs, nextPollAt, nextPollDelayMs, retryDelayMs, unavailableRetryDelayMs, type GenerationStatus } from '../../src/domain';

const fixed = (value: number) => () => value;
const BACKOFF = { baseMs: 1000, capMs: 60_000 };

describe('backoffDelayMs (exponential, full jitter)', () => {
  it.each<[number, number, number]>([
    // failures, random, expected
    [0, 0.99, 0],
    [-1, 0.99, 0],
    [1, 0, 0],
    [1, 0.5, 500],
    [1, 0.999, 999],
    [2, 0.5, 1000],
    [3, 0.5, 2000],
    [6, 0.5, 16_000],
    [7, 0.5, 30_000], // 64 s ceiling capped at 60 s
    [7, 0.999, 59_940],
    [100, 0.5, 30_000],
    [10_000, 0.5, 30_000], // no overflow
    [3, 1.7, 4000], // a bad random is clamped to the ceiling
    [3, -1, 0],
    [3, Number.NaN, 0],
  ])('failures %s, random %s -> %s ms', (failures, random, expected) => {
    expect(backoffDelayMs(failures, { ...BACKOFF, random: fixed(random) })).toBe(expected);
  });

  it('stays within [0, cap) for any random', () => {
    for (let failures = 1; failures < 40; failures++) {
      for (const random of [0, 0.25, 0.5, 0.75, 0.999999]) {
        const delay = backoffDelayMs(failures, { ...BACKOFF, random: fixed(random) });
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(BACKOFF.capMs);
      }
    }
  });

  it('baseMs 0 gives 0, never NaN', () => {
    expect(backoffDelayMs(2000, { baseMs: 0, capMs: 1000, random: fixed(0.5) })).toBe(0);
  });
});

describe('retryDelayMs (equal jitter, bounded attempts)', () => {
  const options = { baseMs: 10_000, capMs: 300_000, maxAttempts: 3 };
  it.each<[number, number, number | null]>([
    [0, 0.5, null],
    [1, 0, 5000],
    [1, 0.999, 9995],
    [2, 0, 10_000],
    [3, 0.5, 30_000],
    [4, 0.5, null],
  ])('attempt %s, random %s -> %s', (attempt, random, expected) => {
    expect(retryDelayMs(attempt, { ...options, random: fixed(random) })).toBe(expected);
  });

  it('caps the delay', () => {
    expect(retryDelayMs(10, { ...options, maxAttempts: 20, random: fixed(0.999) })).toBeLessThan(300_000);
    expect(retryDelayMs(10, { ...options, maxAttempts: 20, random: fixed(0) })).toBe(150_000);
  });
});

describe('nextPollDelayMs (adaptive, within bounds)', () => {
  const bounds = { minMs: 2000, maxMs: 60_000, defaultMs: 30_000 };
  it.each<[string, GenerationStatus, number, number | null | undefined, number | null]>([
    ['not started: nothing to poll', 'not_started', 0, undefined, null],
    ['completed: nothing to poll', 'completed', 100, undefined, null],
    ['failed: nothing to poll', 'failed', 40, undefined, null],
    ['queued: less often', 'queued', 0, undefined, 60_000],
    ['in progress, speed unknown', 'in_progress', 40, undefined, 30_000],
    ['in progress, speed null', 'in_progress', 40, null, 30_000],
    ['in progress, speed 0', 'in_progress', 40, 0, 30_000],
    ['near the end without speed: sooner', 'in_progress', 90, undefined, 15_000],
    ['slow: expected end after the interval', 'in_progress', 40, 1, 30_000],
    ['expected end in 20 s: poll then', 'in_progress', 80, 1, 20_000],
    ['expected end in 0.5 s: not below min', 'in_progress', 99, 2, 2000],
    ['at 100%: as soon as allowed', 'in_progress', 100, 1, 2000],
    ['infinite speed is ignored', 'in_progress', 10, Number.POSITIVE_INFINITY, 30_000],
  ])('%s', (_name, status, progress, progressRatePerSec, expected) => {
    expect(nextPollDelayMs({ status, progress, progressRatePerSec, ...bounds })).toBe(expected);
  });

  it.each([
    ['queued above max', { minMs: 1000, maxMs: 45_000, defaultMs: 30_000 }, 'queued', 45_000],
    ['default below min', { minMs: 40_000, maxMs: 60_000, defaultMs: 30_000 }, 'in_progress', 40_000],
    ['min above max: min wins', { minMs: 50_000, maxMs: 10_000, defaultMs: 30_000 }, 'in_progress', 50_000],
  ] as const)('clamps: %s', (_name, options, status, expected) => {
    expect(nextPollDelayMs({ status, progress: 10, ...options })).toBe(expected);
  });
});

describe('unavailableRetryDelayMs (retry-after is the next poll)', () => {
  const options = { baseMs: 5_000, capMs: 300_000, random: () => 0.99 };

  it("polls again at the service's retry-after, however many requests went unanswered", () => {
    for (const failures of [1, 3, 5, 10]) expect(unavailableRetryDelayMs(failures, 1_000, options)).toBe(1_000);
    expect(unavailableRetryDelayMs(6, 250, options)).toBe(250);
    expect(unavailableRetryDelayMs(1, 45_000, options)).toBe(45_000);
  });

  it('backs off exponentially, never below the base, without a usable retry-after', () => {
    expect(unavailableRetryDelayMs(1, null, { ...options, random: () => 0 })).toBe(5_000);
    expect(unavailableRetryDelayMs(5, null, options)).toBe(backoffDelayMs(5, options));
    expect(unavailableRetryDelayMs(5, 0, options)).toBe(backoffDelayMs(5, options));
    expect(unavailableRetryDelayMs(5, Number.NaN, options)).toBe(backoffDelayMs(5, options));
  });
});

describe('nextPollAt while the service is unavailable', () => {
  const now = new Date('2026-05-01T12:00:00.000Z');
  const state = { status: 'queued' as const, progress: 0 };
  const unavailable = (reason: 'rate_limited' | 'server_error', retryAfterMs: number | null, pollFailures: number) =>
    ({ kind: 'temporarily_unavailable', reason, message: '', retryAfterMs, pollFailures }) as const;

  it('after a burst of 429s with retry-after 1 s, the next poll is 1 s away, not a back-off', () => {
    for (const failures of [1, 2, 3, 4, 5]) {
      const at = nextPollAt(now, state, unavailable('rate_limited', 1_000, failures), { pollIntervalMs: 30_000 }, () => 0.99);
      expect(at?.getTime()).toBe(now.getTime() + 1_000);
    }
  });

  it('without retry-after, backs off from the minimum poll delay', () => {
    const at = nextPollAt(now, state, unavailable('server_error', null, 5), { pollIntervalMs: 30_000 }, () => 0.99);
    expect(at!.getTime() - now.getTime()).toBe(backoffDelayMs(5, { baseMs: 5_000, capMs: 300_000, random: () => 0.99 }));
  });
});
