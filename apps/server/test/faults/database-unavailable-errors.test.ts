import net from 'node:net';
import { createDb, isDatabaseUnavailableError } from '@sora-monitor/db';
import { describe, expect, it } from 'vitest';

/** A local port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const withCode = (code: string) => Object.assign(new Error(`driver says ${code}`), { code });

describe('isDatabaseUnavailableError (what becomes a 503 instead of a 500)', () => {
  it('recognises a real refused connection, at start-up and wrapped in a query error', async () => {
    const port = await closedPort();
    const opened = await createDb({
      databaseUrl: `postgres://postgres@127.0.0.1:${port}/none`,
      migrate: false,
    }).catch((error: unknown) => error);
    expect(isDatabaseUnavailableError(opened)).toBe(true);
    // drizzle's DrizzleQueryError keeps the driver error as its cause.
    expect(
      isDatabaseUnavailableError(new Error('Failed query: select 1', { cause: withCode('ECONNREFUSED') })),
    ).toBe(true);
  });

  it('recognises postgres.js connection states and PostgreSQL shutdown codes, nested or aggregated', () => {
    for (const code of [
      'CONNECTION_CLOSED',
      'CONNECTION_ENDED',
      'CONNECT_TIMEOUT',
      '57P01',
      '57P03',
      '08006',
    ]) {
      expect(isDatabaseUnavailableError(withCode(code)), code).toBe(true);
    }
    expect(isDatabaseUnavailableError(new AggregateError([withCode('ECONNREFUSED')]))).toBe(true);
    expect(
      isDatabaseUnavailableError(
        new Error('outer', { cause: new Error('mid', { cause: withCode('ECONNRESET') }) }),
      ),
    ).toBe(true);
  });

  it('does not mistake a bad query or a constraint for an outage', () => {
    for (const code of ['42601', '23505', '40001', '22P02'])
      expect(isDatabaseUnavailableError(withCode(code)), code).toBe(false);
    expect(isDatabaseUnavailableError(new Error('plain'))).toBe(false);
    expect(isDatabaseUnavailableError(null)).toBe(false);
    expect(isDatabaseUnavailableError('ECONNREFUSED')).toBe(false);
  });
});
