import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database, disconnecting anyone still on it. */
  drop(): Promise<void>;
}

/** The URL of database `name` on the server of `serverUrl`. */
export function databaseUrlOn(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** Creates a fresh, empty, uniquely named database on the server of `serverUrl`. */
export async function createDatabaseOn(serverUrl: string): Promise<TestDatabase> {
  const name = `sora_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, (sql) => sql.unsafe(`create database "${name}"`));
  return {
    name,
    url: databaseUrlOn(serverUrl, name),
    drop: () => onServer(serverUrl, (sql) => sql.unsafe(`drop database if exists "${name}" with (force)`)),
  };
}

async function onServer(url: string, run: (sql: postgres.Sql) => Promise<unknown>): Promise<void> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => undefined });
  try {
    await run(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
