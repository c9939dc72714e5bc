import { describe, expect, it } from 'vitest';
import { calendarDays, isKnownTimeZone } from '../../src/domain';

describe('calendarDays', () => {
  it('lists every day from first to last, across a month end and a daylight-saving change', () => {
    expect(calendarDays('2026-03-28', '2026-04-01')).toEqual(['2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31', '2026-04-01']);
    expect(calendarDays('2026-12-03', '2026-12-03')).toEqual(['2026-12-03']);
    expect(calendarDays('2026-12-04', '2026-12-03')).toEqual([]);
  });
});

describe('isKnownTimeZone', () => {
  it('knows IANA names in any letter case and nothing else', () => {
    expect(isKnownTimeZone('Asia/Kolkata')).toBe(true);
    expect(isKnownTimeZone('europe/berlin')).toBe(true);
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
    expect(isKnownTimeZone('')).toBe(false);
  });
});
