import { describe, expect, it } from 'vitest';
import { advanceProgress, clampProgress } from '../../src/domain';

describe('clampProgress', () => {
  it.each<[number | null | undefined, number | null]>([
    [0, 0],
    [45, 45],
    [45.99, 45],
    [99.6, 99],
    [100, 100],
    [100.5, 100],
    [250, 100],
    [-1, 0],
    [null, null],
    [undefined, null],
    [Number.NaN, null],
    [Number.NEGATIVE_INFINITY, null],
  ])('%s -> %s', (value, expected) => {
    expect(clampProgress(value)).toBe(expected);
  });
});

describe('advanceProgress', () => {
  it.each<[number, number | null | undefined, number]>([
    [10, 20, 20],
    [20, 10, 20],
    [20, null, 20],
    [20, undefined, 20],
    [0, 150, 100],
    [50, -10, 50],
  ])('%s then %s -> %s', (current, observed, expected) => {
    expect(advanceProgress(current, observed)).toBe(expected);
  });
});
