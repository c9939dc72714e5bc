import { randomBytes } from 'node:crypto';
import { createDb, type DbHandle } from '@sora-monitor/db';
import postgres from 'postgres';

/** The PostgreSQL server the benchmarks create their databases on (each run gets fresh ones, dropped afterwards). */
export const serverUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchDatabase {
  name: string;
  url: string;
  /** Migrated, opened with the product's createDb. */
  handle: DbHandle;
  /** A raw postgres.js client for seeding and measuring (outside the product's code paths). */
  sql: postgres.Sql;
  drop(): Promise<void>;
}

const live = new Set<BenchDatabase>();

/** Drops every database still open (after an error or Ctrl-C). */
export async function dropAllDatabases(): Promise<void> {
  await Promise.all([...live].map((database) => database.drop().catch(() => undefined)));
}

function urlFor(name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer(run: (sql: postgres.Sql) => Promise<unknown>): Promise<void> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  try {
    await run(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** A fresh database with the product's migrations applied. */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const name = `sora_bench_${label}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await onServer((sql) => sql.unsafe(`create database "${name}"`));
  const url = urlFor(name);
  let handle: DbHandle | null = null;
  let sql: postgres.Sql | null = null;
  // Filled in below; drop() only needs the name until then.
  const database = { name, url } as BenchDatabase;
  const drop = async () => {
    live.delete(database);
    await sql?.end({ timeout: 5 });
    await handle?.close();
    await onServer((server) => server.unsafe(`drop database if exists "${name}" with (force)`));
  };
  try {
    handle = await createDb({ databaseUrl: url, max: 4 });
    sql = postgres(url, { max: 4, onnotice: () => undefined });
    Object.assign(database, { handle, sql, drop });
    live.add(database);
    return database;
  } catch (error) {
    await drop();
    throw error;
  }
}

/** A user row written directly (seeding only; interactive scenarios sign up through the API instead). */
export async function insertUser(sql: postgres.Sql, label: string): Promise<string> {
  const id = `bench-${label}-${randomBytes(6).toString('hex')}`;
  await sql`insert into "user" (id, name, email, email_verified, created_at, updated_at)
            values (${id}, ${label}, ${`${id}@bench.invalid`}, false, now(), now())`;
  return id;
}
