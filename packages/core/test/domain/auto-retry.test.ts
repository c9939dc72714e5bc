import { describe, expect, it } from 'vitest';
import { AppError, autoRetryNotice, planCancelAutoRetry } from '../../src/domain';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const inMs = (ms: number) => new Date(NOW.getTime() + ms);

describe('autoRetryNotice', () => {
  it.each([
    [38_000, 1, 3, 'Retrying automatically in 38 s (attempt 2 of 3)', 38],
    [37_200, 1, 3, 'Retrying automatically in 38 s (attempt 2 of 3)', 38],
    [125_000, 2, 3, 'Retrying automatically in 2 min 5 s (attempt 3 of 3)', 125],
    [120_000, 2, null, 'Retrying automatically in 2 min (attempt 3)', 120],
    [0, 1, 3, 'Retrying automatically now (attempt 2 of 3)', 0],
    [-4_000, 1, 3, 'Retrying automatically now (attempt 2 of 3)', 0],
    [5_000, null, 3, 'Retrying automatically in 5 s', 5],
  ])('%s ms after attempt %s of %s: %s', (ms, attempt, maxAttempts, text, secondsLeft) => {
    expect(autoRetryNotice({ autoRetryAt: inMs(ms), now: NOW, attempt, maxAttempts })).toEqual({ text, secondsLeft });
  });
});

describe('planCancelAutoRetry', () => {
  it('clears the plan with an audit event; the generation stays failed', () => {
    const plan = planCancelAutoRetry({ status: 'failed', autoRetryAt: inMs(30_000) });
    expect(plan.autoRetryAt).toBeNull();
    expect(plan.event).toMatchObject({ type: 'auto_retry_cancelled', fromStatus: 'failed', toStatus: 'failed' });
    expect(plan.event.data.plannedFor).toBe(inMs(30_000).toISOString());
  });

  it.each([
    ['failed without a plan', { status: 'failed' as const, autoRetryAt: null }],
    ['already retrying', { status: 'queued' as const, autoRetryAt: inMs(1) }],
  ])('refuses when %s', (_name, state) => {
    expect(() => planCancelAutoRetry(state)).toThrow(AppError);
    expect(() => planCancelAutoRetry(state)).toThrow(/No automatic retry is planned/);
  });
});
