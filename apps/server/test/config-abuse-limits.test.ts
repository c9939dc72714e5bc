import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';

/** The rate-limit and spend-cap variables (README's Configuration table). */
describe('loadConfig: rate limits and the daily spend cap', () => {
  it('defaults to the documented limits and a $50 cap', () => {
    expect(loadConfig({})).toMatchObject({
      rateLimits: {
        generate: { max: 20, windowSec: 60 },
        status: { max: 600, windowSec: 60 },
        content: { max: 600, windowSec: 60 },
        signInPerEmail: { max: 10, windowSec: 900 },
      },
      dailySpendCapUsd: 50,
    });
  });

  it('takes 0 to turn a limit off, dollars and cents for the cap, and off for no cap', () => {
    const config = loadConfig({ RATE_LIMIT_STATUS_PER_MIN: '0', DAILY_SPEND_CAP_USD: '12.50' });
    expect(config.rateLimits.status.max).toBe(0);
    expect(config.dailySpendCapUsd).toBe(12.5);
    expect(loadConfig({ DAILY_SPEND_CAP_USD: 'OFF' }).dailySpendCapUsd).toBeNull();
  });

  it.each([
    ['DAILY_SPEND_CAP_USD', '0', 'use off for no cap'],
    ['DAILY_SPEND_CAP_USD', '-5', 'such as 50 or 12.50, or off'],
    ['DAILY_SPEND_CAP_USD', '1.005', 'such as 50 or 12.50, or off'],
    ['RATE_LIMIT_GENERATE_PER_MIN', 'lots', 'must be a whole number'],
    ['RATE_LIMIT_SIGN_IN_PER_EMAIL', '-1', 'must be a whole number'],
  ])('rejects %s=%s, naming the variable', (name, value, message) => {
    let caught: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toContain(name);
    expect((caught as Error).message).toContain(message);
  });
});
