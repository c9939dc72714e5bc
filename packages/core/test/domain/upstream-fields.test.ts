import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MILLISECONDS_THRESHOLD,
  normaliseProgress,
  normaliseText,
  normaliseTimestamp,
  normaliseUpstreamError,
} from '../../src/domain';

describe('normaliseProgress', () => {
  it.each<[unknown, number | null]>([
    [45, 45],
    [0, 0],
    [100, 100],
    [45.9, 45],
    ['45', 45],
    ['45%', 45],
    [' 45.5 % ', 45],
    ['45 %', 45],
    ['+12', 12],
    ['.5', 0],
    ['99.99%', 99],
    // Clamped
    [150, 100],
    ['150%', 100],
    [-5, 0],
    ['-5%', 0],
    // Garbage is "not reported", never a rejection
    ['', null],
    ['  ', null],
    ['%', null],
    ['abc', null],
    ['45abc', null],
    ['4 5', null],
    ['45%%', null],
    ['1e2', null],
    ['0x10', null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    [null, null],
    [undefined, null],
    [true, null],
    [{ value: 45 }, null],
    [[45], null],
  ])('%j -> %j', (value, expected) => {
    expect(normaliseProgress(value)).toBe(expected);
  });

  it('any value at all gives null or an integer 0..100', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const progress = normaliseProgress(value);
        if (progress !== null) {
          expect(Number.isInteger(progress)).toBe(true);
          expect(progress).toBeGreaterThanOrEqual(0);
          expect(progress).toBeLessThanOrEqual(100);
        }
      }),
    );
  });

  it('a number and its text (with or without %, padded) read the same', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.constantFrom('', '%', ' %', '% '),
        fc.constantFrom('', ' '),
        (value, suffix, pad) => {
          const text = `${pad}${value.toFixed(3)}${suffix}${pad}`;
          expect(normaliseProgress(text)).toBe(normaliseProgress(Number(value.toFixed(3))));
        },
      ),
    );
  });
});

describe('normaliseTimestamp', () => {
  const at = (iso: string) => new Date(iso);

  it.each<[unknown, Date | null]>([
    // Unix seconds, as OpenAI sends them
    [1772366400, at('2026-03-01T12:00:00.000Z')],
    ['1772366400', at('2026-03-01T12:00:00.000Z')],
    [1772366400.5, at('2026-03-01T12:00:00.500Z')],
    // Unix milliseconds, as some gateways send them
    [1772366400123, at('2026-03-01T12:00:00.123Z')],
    ['1772366400123', at('2026-03-01T12:00:00.123Z')],
    // ISO 8601
    ['2026-03-01T12:00:00Z', at('2026-03-01T12:00:00.000Z')],
    ['2026-03-01T12:00:00.123Z', at('2026-03-01T12:00:00.123Z')],
    ['2026-03-01T12:00:00.123456z', at('2026-03-01T12:00:00.123Z')],
    ['2026-03-01T13:00:00+01:00', at('2026-03-01T12:00:00.000Z')],
    ['2026-03-01T13:00:00+0100', at('2026-03-01T12:00:00.000Z')],
    ['2026-03-01T13:00:00+01', at('2026-03-01T12:00:00.000Z')],
    ['2026-03-01T06:30:00-05:30', at('2026-03-01T12:00:00.000Z')],
    [' 2026-03-01 12:00:00 ', at('2026-03-01T12:00:00.000Z')],
    // Without a zone: UTC (whatever the machine's time zone)
    ['2026-03-01T12:00:00', at('2026-03-01T12:00:00.000Z')],
    ['2026-03-01T12:00', at('2026-03-01T12:00:00.000Z')],
    ['2024-02-29T00:00:00Z', at('2024-02-29T00:00:00.000Z')],
    // Missing or unusable: null, never a rejection
    [null, null],
    [undefined, null],
    ['', null],
    [0, null],
    ['0', null],
    [-1, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    [1e300, null],
    ['yesterday', null],
    ['2026-02-30T00:00:00Z', null],
    ['2026-13-01T00:00:00Z', null],
    ['2026-03-01T24:00:00Z', null],
    ['2026-03-01', null],
    ['45%', null],
    [true, null],
    [{ seconds: 1772366400 }, null],
  ])('%j -> %j', (value, expected) => {
    expect(normaliseTimestamp(value)).toEqual(expected);
  });

  it('decides seconds or milliseconds by magnitude: 10^11 and above are milliseconds', () => {
    expect(MILLISECONDS_THRESHOLD).toBe(1e11);
    expect(normaliseTimestamp(MILLISECONDS_THRESHOLD - 1)?.getTime()).toBe(
      (MILLISECONDS_THRESHOLD - 1) * 1000,
    );
    expect(normaliseTimestamp(MILLISECONDS_THRESHOLD)?.getTime()).toBe(MILLISECONDS_THRESHOLD);
  });

  it('one instant reads the same in seconds, milliseconds and ISO 8601 (1973 to 5000)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1e8, max: 95_617_584_000 }), (seconds) => {
        const expected = new Date(seconds * 1000);
        expect(normaliseTimestamp(seconds)).toEqual(expected);
        expect(normaliseTimestamp(String(seconds))).toEqual(expected);
        expect(normaliseTimestamp(seconds * 1000)).toEqual(expected);
        expect(normaliseTimestamp(expected.toISOString())).toEqual(expected);
      }),
    );
  });

  it('any value at all gives null or a valid Date, and never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.double()), (value) => {
        const date = normaliseTimestamp(value);
        if (date !== null) expect(Number.isNaN(date.getTime())).toBe(false);
      }),
    );
  });
});

describe('normaliseText', () => {
  it.each<[unknown, string]>([
    ['sora-2', 'sora-2'],
    ['', ''],
    [8, '8'],
    [4.5, '4.5'],
    [Number.NaN, ''],
    [null, ''],
    [undefined, ''],
    [{}, ''],
  ])('%j -> %j', (value, expected) => {
    expect(normaliseText(value)).toBe(expected);
  });
});

describe('normaliseUpstreamError', () => {
  it.each<[unknown, { code: string | null; message: string | null } | null]>([
    [
      { code: 'moderation_blocked', message: 'Blocked.' },
      { code: 'moderation_blocked', message: 'Blocked.' },
    ],
    [
      { code: ' internal_error ', message: null },
      { code: 'internal_error', message: null },
    ],
    [{ message: 'It broke.' }, { code: null, message: 'It broke.' }],
    [
      { code: 500, message: 'Server error' },
      { code: '500', message: 'Server error' },
    ],
    [
      { code: { nested: true }, message: 42 },
      { code: null, message: '42' },
    ],
    ['Task failed', { code: null, message: 'Task failed' }],
    ['  ', null],
    [{}, null],
    [{ code: '', message: '' }, null],
    [null, null],
    [undefined, null],
    [[], null],
    [7, null],
  ])('%j -> %j', (value, expected) => {
    expect(normaliseUpstreamError(value)).toEqual(expected);
  });
});
