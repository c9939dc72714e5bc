import { describe, expect, it } from 'vitest';
import { defaultScenario, type Scenario } from '../src/scenarios';
import { observe } from '../src/timeline';

const plan = (scenario: Partial<Scenario> = {}) => ({
  createdAtMs: 1_000_000,
  durationMs: 1000,
  scenario: { ...defaultScenario(), ...scenario },
});
const HOUR = 60 * 60 * 1000;
const at = (elapsedMs: number, scenario: Partial<Scenario> = {}) =>
  observe(plan(scenario), 1_000_000 + elapsedMs);

describe('the progress model', () => {
  it('queues for the first 15%, rises in whole percents, completes at the duration', () => {
    expect(at(0)).toEqual({
      status: 'queued',
      progress: 0,
      finishedAtMs: null,
      expiresAtMs: null,
      error: null,
    });
    expect(at(149)).toMatchObject({ status: 'queued', progress: 0 });
    expect(at(150)).toMatchObject({ status: 'in_progress', progress: 0 });
    expect(at(999)).toMatchObject({ status: 'in_progress', progress: 99 });
    expect(at(1000)).toEqual({
      status: 'completed',
      progress: 100,
      finishedAtMs: 1_001_000,
      expiresAtMs: 1_001_000 + HOUR,
      error: null,
    });
    expect(at(10_000)).toMatchObject({ status: 'completed', finishedAtMs: 1_001_000 });
  });

  it('never goes backwards', () => {
    let previous = -1;
    for (let elapsed = 0; elapsed <= 1200; elapsed += 7) {
      const { progress } = at(elapsed);
      expect(Number.isInteger(progress)).toBe(true);
      expect(progress).toBeGreaterThanOrEqual(previous);
      previous = progress;
    }
  });

  it('treats a clock before creation as the moment of creation', () => {
    expect(at(-500)).toMatchObject({ status: 'queued', progress: 0 });
  });

  it('fails at 60% with the progress reached by then', () => {
    const error = { code: 'timeout', message: 'm' };
    expect(at(599, { fail: error }).status).toBe('in_progress');
    expect(at(600, { fail: error })).toEqual({
      status: 'failed',
      progress: 52,
      finishedAtMs: 1_000_600,
      expiresAtMs: null,
      error,
    });
    expect(at(5000, { fail: error })).toMatchObject({
      status: 'failed',
      progress: 52,
      finishedAtMs: 1_000_600,
    });
  });

  it('holds a stuck job in_progress at its value forever, even at 100', () => {
    expect(at(100, { stuckAt: 40 })).toMatchObject({ status: 'queued', progress: 0 });
    expect(at(1e9, { stuckAt: 40 })).toEqual({
      status: 'in_progress',
      progress: 40,
      finishedAtMs: null,
      expiresAtMs: null,
      error: null,
    });
    expect(at(1e9, { stuckAt: 100 })).toMatchObject({ status: 'in_progress', progress: 100 });
  });

  it('reports the undefined status for the first 30% of an unknown-status job', () => {
    expect(at(0, { unknownStatus: true }).status).toBe('preprocessing');
    expect(at(299, { unknownStatus: true }).status).toBe('preprocessing');
    expect(at(300, { unknownStatus: true }).status).toBe('in_progress');
    expect(at(1000, { unknownStatus: true }).status).toBe('completed');
  });

  it('expires a completed job when its hour of retention ends, keeping its completion time', () => {
    expect(at(HOUR + 999)).toMatchObject({ status: 'completed' });
    expect(at(HOUR + 1000)).toEqual({
      status: 'expired',
      progress: 100,
      finishedAtMs: 1_001_000,
      expiresAtMs: 1_001_000 + HOUR,
      error: null,
    });
  });

  it('[sim:retention] expires a job at that age, finished or not, and never after it failed', () => {
    expect(at(499, { retentionMs: 500 }).status).toBe('in_progress');
    expect(at(500, { retentionMs: 500 })).toMatchObject({
      status: 'expired',
      finishedAtMs: null,
      expiresAtMs: 1_000_500,
    });
    expect(at(1000, { retentionMs: 5000 })).toMatchObject({ status: 'completed', expiresAtMs: 1_005_000 });
    expect(at(5000, { retentionMs: 5000 })).toMatchObject({ status: 'expired', finishedAtMs: 1_001_000 });
    expect(at(5000, { retentionMs: 5000, fail: { code: 'x', message: 'm' } }).status).toBe('failed');
  });

  it('[sim:cancel-after] cancels an unfinished job with its progress frozen, but not a finished one', () => {
    expect(at(599, { cancelAfterMs: 600 }).status).toBe('in_progress');
    expect(at(5000, { cancelAfterMs: 600 })).toEqual({
      status: 'cancelled',
      progress: 52,
      finishedAtMs: 1_000_600,
      expiresAtMs: null,
      error: null,
    });
    expect(at(5000, { cancelAfterMs: 2000 }).status).toBe('completed');
  });
});
