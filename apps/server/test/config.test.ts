import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      dataDir: './.data',
      databaseUrl: undefined,
      openai: { apiKey: undefined, baseURL: undefined },
      pollIntervalMs: 30_000,
      stuckTimeoutMs: 900_000,
      role: 'all',
    });
  });

  it('treats empty strings as unset, as shells and .env files produce them', () => {
    expect(loadConfig({ DATABASE_URL: '', OPENAI_API_KEY: '' })).toMatchObject({
      databaseUrl: undefined,
      openai: { apiKey: undefined },
    });
  });

  it.each([
    ['PORT', 'abc', 'must be a whole number'],
    ['PORT', '70000', 'PORT'],
    ['DATABASE_URL', 'mysql://localhost/db', 'must start with postgres://'],
    ['ROLE', 'boss', 'ROLE'],
    ['OPENAI_BASE_URL', 'not a url', 'OPENAI_BASE_URL'],
    ['POLL_INTERVAL_MS', '10', 'POLL_INTERVAL_MS'],
    ['AUTH_SECRET', 'short', 'at least 32 characters'],
  ])('rejects %s=%s with a message naming the variable', (name, value, expected) => {
    let caught: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toContain(`${name}=`);
    expect(message).toContain(expected);
  });

  it('lists every bad variable at once, not just the first', () => {
    expect(() => loadConfig({ PORT: 'x', ROLE: 'y' })).toThrow(/PORT=.*\n.*ROLE=/s);
  });

  it('refuses a base URL without a key, which would silently fall back to the simulator', () => {
    expect(() => loadConfig({ OPENAI_BASE_URL: 'https://gateway.example/v1' })).toThrow(/OPENAI_API_KEY/);
  });
});
