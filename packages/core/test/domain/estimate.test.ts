import { describe, expect, it } from 'vitest';
import {
  estimateRemainingMs,
  formatRemaining,
  isProgressStalled,
  progressRatePerSec,
  type EstimateInput,
  type GenerationStatus,
} from '../../src/domain';

const T0 = new Date('2026-03-01T12:00:00.000Z');
const after = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const PAST = [100_000, 120_000, 140_000]; // median 120 s

function input(overrides: Partial<EstimateInput>): EstimateInput {
  return { status: 'in_progress', progress: 0, startedAt: T0, now: after(10), ...overrides };
}

describe('progressRatePerSec', () => {
  it.each<[string, Partial<EstimateInput>, number | null]>([
    [
      'average since start, to when progress was reached',
      { progress: 50, progressChangedAt: after(100), now: after(110) },
      0.5,
    ],
    ['average since start, to now when the change time is unknown', { progress: 50, now: after(200) }, 0.25],
    ['no progress yet', { progress: 0, now: after(100) }, null],
    ['no start', { progress: 50, startedAt: null }, null],
    ['too little time (1.999 s)', { progress: 10, progressChangedAt: new Date(T0.getTime() + 1999) }, null],
    ['just enough time (2 s)', { progress: 10, progressChangedAt: after(2) }, 5],
    [
      'samples: first to last, in any order',
      {
        progress: 60,
        samples: [
          { at: after(40), progress: 60 },
          { at: after(20), progress: 20 },
        ],
      },
      2,
    ],
    [
      'samples without gain fall back to the average',
      {
        progress: 60,
        progressChangedAt: after(60),
        samples: [
          { at: after(50), progress: 60 },
          { at: after(60), progress: 60 },
        ],
      },
      1,
    ],
    [
      'samples too close together fall back to the average',
      {
        progress: 30,
        progressChangedAt: after(30),
        samples: [
          { at: after(29), progress: 20 },
          { at: after(30), progress: 30 },
        ],
      },
      1,
    ],
    [
      'one sample falls back to the average',
      { progress: 30, progressChangedAt: after(30), samples: [{ at: after(30), progress: 30 }] },
      1,
    ],
    [
      'invalid samples are ignored',
      {
        progress: 30,
        progressChangedAt: after(30),
        samples: [
          { at: new Date(Number.NaN), progress: 0 },
          { at: after(30), progress: Number.NaN },
        ],
      },
      1,
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(progressRatePerSec(input(overrides))).toBe(expected);
  });
});

describe('estimateRemainingMs', () => {
  it.each<[string, Partial<EstimateInput>, number | null]>([
    // From the speed so far: 50% in 100 s -> 100 s more from when 50% was reached.
    [
      'from the rate, just reached',
      { progress: 50, progressChangedAt: after(100), now: after(100) },
      100_000,
    ],
    [
      'from the rate, 30 s after it was reached',
      { progress: 50, progressChangedAt: after(100), now: after(130) },
      70_000,
    ],
    [
      'from the rate, rate wins over history',
      { progress: 50, progressChangedAt: after(100), now: after(100), pastDurationsMs: PAST },
      100_000,
    ],
    [
      'from samples',
      {
        progress: 60,
        now: after(40),
        progressChangedAt: after(40),
        samples: [
          { at: after(20), progress: 20 },
          { at: after(40), progress: 60 },
        ],
      },
      20_000,
    ],
    // Before progress moves: median of similar past generations minus elapsed.
    ['queued, from history', { status: 'queued', now: after(30), pastDurationsMs: PAST }, 90_000],
    ['in progress at 0%, from history', { now: after(100), pastDurationsMs: PAST }, 20_000],
    [
      'history with an even count uses the middle two',
      { now: after(0), pastDurationsMs: [100_000, 120_000, 140_000, 1_000_000] },
      130_000,
    ],
    [
      'rate too young: from history',
      { progress: 5, progressChangedAt: after(1), now: after(1), pastDurationsMs: PAST },
      119_000,
    ],
    [
      'invalid past durations are ignored',
      { now: after(0), pastDurationsMs: [...PAST, Number.NaN, -5, 0] },
      120_000,
    ],
    // No honest basis: null, never a made-up number.
    ['history of two is not enough', { status: 'queued', pastDurationsMs: [100_000, 120_000] }, null],
    ['no history, no progress', { status: 'queued' }, null],
    [
      'rate projection overdue and no history',
      { progress: 50, progressChangedAt: after(100), now: after(201) },
      null,
    ],
    [
      'rate projection overdue: no fallback to history (this one is slower than the others)',
      {
        progress: 50,
        progressChangedAt: after(10),
        now: after(30),
        pastDurationsMs: [10_000, 40_000, 50_000],
      },
      null,
    ],
    [
      'stuck at 40%: no estimate once nothing moved for 10 s, though the projection has time left',
      { progress: 40, progressChangedAt: after(8), now: after(18), pastDurationsMs: PAST },
      null,
    ],
    [
      'stuck at 40%, 9 s without a change at 5 %/s: still the projection',
      { progress: 40, progressChangedAt: after(8), now: after(17) },
      3_000,
    ],
    ['exactly at the projected end', { progress: 50, progressChangedAt: after(100), now: after(200) }, null],
    ['history overdue', { status: 'queued', now: after(120), pastDurationsMs: PAST }, null],
    ['history without a start time', { status: 'queued', startedAt: null, pastDurationsMs: PAST }, null],
    [
      'at 100%: saving time is not estimated',
      { progress: 100, progressChangedAt: after(50), pastDurationsMs: PAST },
      null,
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(estimateRemainingMs(input(overrides))).toBe(expected);
  });

  it.each<GenerationStatus>(['not_started', 'completed', 'failed'])('%s: null', (status) => {
    expect(
      estimateRemainingMs(
        input({ status, progress: 50, progressChangedAt: after(100), pastDurationsMs: PAST }),
      ),
    ).toBeNull();
  });
});

describe('isProgressStalled', () => {
  it.each<[string, Partial<EstimateInput>, boolean]>([
    ['moving', { progress: 40, progressChangedAt: after(8), now: after(9) }, false],
    ['unchanged 10 s at a fast speed', { progress: 40, progressChangedAt: after(8), now: after(18) }, true],
    // 0.5 %/s: 20 points take 40 s, so 35 s without a change is not yet a stall.
    ['slow speed: 35 s is normal', { progress: 50, progressChangedAt: after(100), now: after(135) }, false],
    ['slow speed: 40 s is a stall', { progress: 50, progressChangedAt: after(100), now: after(140) }, true],
    ['no progress yet', { progress: 0, progressChangedAt: after(1), now: after(100) }, false],
    ['at 100% (downloading)', { progress: 100, progressChangedAt: after(1), now: after(100) }, false],
    ['queued', { status: 'queued', progress: 0, now: after(100) }, false],
  ])('%s', (_name, overrides, expected) => {
    expect(isProgressStalled(input(overrides))).toBe(expected);
  });
});

describe('formatRemaining', () => {
  it.each([
    [0, 'a few seconds left'],
    [-5000, 'a few seconds left'],
    [9_999, 'a few seconds left'],
    [10_000, 'about 10 s left'],
    [38_000, 'about 40 s left'],
    [42_000, 'about 40 s left'],
    [57_499, 'about 55 s left'],
    [59_999, 'about 1 min left'],
    [60_000, 'about 1 min left'],
    [89_999, 'about 1 min left'],
    [90_000, 'about 2 min left'],
    [120_000, 'about 2 min left'],
    [59 * 60_000, 'about 59 min left'],
    [59.5 * 60_000, 'about 1 h left'],
    [60 * 60_000, 'about 1 h left'],
    [65 * 60_000, 'about 1 h 5 min left'],
    [125 * 60_000, 'about 2 h 5 min left'],
    [Number.NaN, 'time left unknown'],
    [Number.POSITIVE_INFINITY, 'time left unknown'],
  ])('%s ms -> %s', (ms, expected) => {
    expect(formatRemaining(ms)).toBe(expected);
  });
});
