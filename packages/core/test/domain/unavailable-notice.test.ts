import { describe, expect, it } from 'vitest';
import {
  RATE_LIMITED_MESSAGE,
  TEMPORARILY_UNAVAILABLE_MESSAGE,
  isRateLimitedMessage,
  nextCheckText,
  unavailableMessage,
  unavailableNotice,
} from '../../src/domain';

const now = new Date('2026-05-01T12:00:00.000Z');
const inMs = (ms: number) => new Date(now.getTime() + ms).toISOString();

describe('unavailableNotice (a rate limit is called a rate limit)', () => {
  it('says the service asked us to slow down, and when the next check is', () => {
    const view = { message: unavailableMessage('rate_limited'), rateLimited: true, nextCheckAt: inMs(2_400) };
    expect(unavailableNotice(view, now)).toBe('The video service asked us to slow down; next check in 3 s');
  });

  it('keeps an outage message and adds the next check', () => {
    const view = { message: TEMPORARILY_UNAVAILABLE_MESSAGE, rateLimited: false, nextCheckAt: inMs(10_000) };
    expect(unavailableNotice(view, now)).toBe(`${TEMPORARILY_UNAVAILABLE_MESSAGE} Next check in 10 s.`);
    expect(unavailableNotice({ ...view, nextCheckAt: null }, now)).toBe(TEMPORARILY_UNAVAILABLE_MESSAGE);
  });

  it('only the 429 reason writes the rate-limit message', () => {
    expect(isRateLimitedMessage(unavailableMessage('rate_limited'))).toBe(true);
    for (const reason of ['server_error', 'network', 'timeout'] as const) {
      expect(unavailableMessage(reason)).toBe(TEMPORARILY_UNAVAILABLE_MESSAGE);
      expect(isRateLimitedMessage(unavailableMessage(reason))).toBe(false);
    }
    expect(isRateLimitedMessage(null)).toBe(false);
    expect(RATE_LIMITED_MESSAGE).toMatch(/asked us to slow down/);
  });
});

describe('nextCheckText', () => {
  it('counts down in seconds, then minutes when far, and says when it is due', () => {
    expect(nextCheckText(inMs(1_000), now)).toBe('next check in 1 s');
    expect(nextCheckText(inMs(119_000), now)).toBe('next check in 119 s');
    expect(nextCheckText(inMs(300_000), now)).toBe('next check in 5 min');
    expect(nextCheckText(inMs(0), now)).toBe('checking again now');
    expect(nextCheckText(inMs(-5_000), now)).toBe('checking again now');
    expect(nextCheckText(null, now)).toBeNull();
    expect(nextCheckText('not a date', now)).toBeNull();
  });
});
