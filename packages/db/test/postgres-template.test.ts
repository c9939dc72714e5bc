import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../src';
import { createTestDatabase, testDbKind, type TestDatabase } from '../src/testing';
import { migratedTemplateOn } from '../src/testing/postgres-databases';

/*
 * Migrated test databases on PostgreSQL are copies of one template per server and set of migrations
 * (postgres-databases.ts). They must be exactly what migrating a fresh database gives, and the template must survive
 * being removed under a running test process. These tests use templates of their own (random keys), so they never
 * remove the one that other test processes on the server are copying.
 */
describe.skipIf(testDbKind() === 'pglite')('migrated test databases on PostgreSQL', () => {
  const serverUrl = process.env.TEST_DATABASE_URL ?? '';
  let admin: postgres.Sql;
  const made: TestDatabase[] = [];
  const randomKey = () => randomBytes(8).toString('hex');
  const templateKey = randomKey();
  const create = async (options: { migrated?: boolean; templateKey?: string } = {}) => {
    const database = await createTestDatabase({ templateKey, ...options });
    made.push(database);
    return database;
  };
  const migrationsApplied = async (database: TestDatabase) => {
    const handle = await createDb({ databaseUrl: database.url, migrate: false, max: 1 });
    try {
      return await handle.migrationsApplied();
    } finally {
      await handle.close();
    }
  };
  const databases = async (pattern: string) =>
    (await admin<{ name: string }[]>`select datname as name from pg_database where datname like ${pattern} order by 1`).map((row) => row.name);

  beforeAll(() => {
    admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  });
  afterAll(async () => {
    for (const database of made) await database.drop();
    await admin?.unsafe(`drop database if exists "sora_template_${templateKey}"`);
    await admin?.end();
  });

  it('copies a database with every migration applied, and leaves an unmigrated one empty', async () => {
    expect(await migrationsApplied(await create({ migrated: true }))).toBe(true);
    expect(await migrationsApplied(await create())).toBe(false);
  });

  it('has the same tables, columns and indexes as a database migrated on its own', async () => {
    const copied = await create({ migrated: true });
    const migrated = await create();
    await (await createDb({ databaseUrl: migrated.url, max: 1 })).close();
    const shape = async (database: TestDatabase) => {
      const sql = postgres(database.url, { max: 1, onnotice: () => undefined });
      try {
        const columns = await sql`select table_name, column_name, data_type, is_nullable, column_default
          from information_schema.columns where table_schema in ('public', 'drizzle') order by 1, 2`;
        const indexes = await sql`select indexname, indexdef from pg_indexes where schemaname = 'public' order by 1`;
        return { columns, indexes };
      } finally {
        await sql.end();
      }
    };
    expect(await shape(copied)).toEqual(await shape(migrated));
  });

  it('makes the template again when it was removed under a running process', async () => {
    const template = await migratedTemplateOn(serverUrl, templateKey);
    await admin.unsafe(`drop database if exists "${template}" with (force)`);
    expect(await migrationsApplied(await create({ migrated: true }))).toBe(true);
    expect(await databases(template)).toEqual([template]);
  });

  it('removes templates of other migrations only once they are a day old, and never one being built', async () => {
    const dayAndAMinuteAgo = new Date(Date.now() - 86_460_000).toISOString();
    const tidyingKey = randomKey();
    const [outdated, recent, building] = [randomKey(), randomKey(), `${randomKey()}_0a1b2c3d`].map((key) => `sora_template_${key}`);
    for (const name of [outdated, recent, building]) {
      await admin.unsafe(`drop database if exists "${name}"`);
      await admin.unsafe(`create database "${name}"`);
    }
    await admin.unsafe(`comment on database "${outdated}" is '${dayAndAMinuteAgo}'`);
    await admin.unsafe(`comment on database "${recent}" is '${new Date().toISOString()}'`);
    await admin.unsafe(`comment on database "${building}" is '${dayAndAMinuteAgo}'`);
    try {
      // Building a template tidies up.
      await create({ migrated: true, templateKey: tidyingKey });
      const left = await databases('sora_template_%');
      expect(left).not.toContain(outdated);
      expect(left).toEqual(expect.arrayContaining([recent, building]));
    } finally {
      for (const name of [outdated, recent, building, `sora_template_${tidyingKey}`]) await admin.unsafe(`drop database if exists "${name}"`);
    }
  });
});
