import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, InvalidDatabaseUrlError, createDb, redactDatabaseUrl } from '../src';
import { testDatabaseUrl, testDbKind } from '../src/testing';

/** A local port with nothing listening on it: connecting is refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('database connection errors', () => {
  it('fails fast with DatabaseUnavailableError naming host:port and the cause, never the password', async () => {
    const port = await closedPort();
    const error = await createDb({ databaseUrl: `postgres://app:s3cret@127.0.0.1:${port}/sora` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(`Cannot connect to PostgreSQL at 127.0.0.1:${port}/sora`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).not.toContain('s3cret');
  });

  if (testDbKind() === 'postgres') {
    it('reports a server that answers but refuses us (missing database) the same way', async () => {
      const error = await createDb({ databaseUrl: testDatabaseUrl('sora_no_such_database') }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as Error).message).toMatch(/at .+:\d+\/sora_no_such_database: database "sora_no_such_database" does not exist/);
    });
  }

  it('rejects a malformed DATABASE_URL by name, with the password masked', async () => {
    const cases: Array<[string, RegExp]> = [
      ['mysql://app:s3cret@db.example:3306/sora', /it must start with postgres:\/\/ or postgresql:\/\//],
      ['postgres://app:s3cret@:5432/sora', /not a URL|no host/],
      ['app:s3cret@localhost/sora', /not a URL|it must start with/],
      ['postgres://app:s3cret@db.example:notaport/sora', /not a URL/],
    ];
    for (const [url, problem] of cases) {
      const error = await createDb({ databaseUrl: url }).catch((e: unknown) => e);
      expect(error, url).toBeInstanceOf(InvalidDatabaseUrlError);
      expect((error as Error).message, url).toMatch(problem);
      expect((error as Error).message, url).toContain('Invalid DATABASE_URL "');
      expect((error as Error).message, url).not.toContain('s3cret');
    }
  });

  it('masks passwords even in URLs too broken to parse', () => {
    expect(redactDatabaseUrl('postgres://app:p@ss:w/rd@host/db')).toBe('postgres://app:***@host/db');
    expect(redactDatabaseUrl('app:s3cret@host/db')).toBe('app:***@host/db');
    expect(redactDatabaseUrl('postgres://host/db?user=app&password=s3cret&sslmode=require')).toBe(
      'postgres://host/db?user=app&password=***&sslmode=require',
    );
    expect(redactDatabaseUrl('postgres://app@host:5432/db')).toBe('postgres://app@host:5432/db');
  });
});
