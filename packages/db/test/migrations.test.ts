import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, migrationsFolder, type DbHandle } from '../src';
import { executeRows } from '../src/rows';
import { createTestDatabase, createTestDb, testDbKind, type TestDb } from '../src/testing';

const committedMigrations = readMigrationFiles({ migrationsFolder }).length;

async function recordedMigrations(handle: DbHandle): Promise<number> {
  const [row] = await executeRows<{ count: number }>(handle.db, sql`select count(*)::int as count from drizzle.__drizzle_migrations`);
  return row?.count ?? -1;
}

describe(`migrations (${testDbKind()})`, () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterAll(() => testDb.cleanup());

  it('creates the tables, the enum and the indexes', async () => {
    const { db } = testDb.handle;
    const tables = await executeRows<{ name: string }>(
      db,
      sql`select table_name as name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['user', 'session', 'account', 'verification', 'videos', 'sora_generations', 'sora_events']),
    );

    const [statusEnum] = await executeRows<{ labels: string }>(
      db,
      sql`select string_agg(enumlabel, ',' order by enumsortorder) as labels
          from pg_enum join pg_type on pg_type.oid = enumtypid where typname = 'generation_status'`,
    );
    expect(statusEnum?.labels).toBe('not_started,queued,in_progress,completed,failed');

    const indexes = await executeRows<{ name: string; definition: string }>(
      db,
      sql`select indexname as name, indexdef as definition from pg_indexes where schemaname = 'public'`,
    );
    const definition = (name: string) => indexes.find((index) => index.name === name)?.definition;
    expect(definition('videos_user_created_idx')).toMatch(/\(user_id, created_at DESC, id DESC\)/);
    expect(definition('videos_active_next_poll_idx')).toMatch(
      /\(next_poll_at\) WHERE \(sora_generation_status = ANY \(ARRAY\['queued'::generation_status, 'in_progress'::generation_status\]\)\)/,
    );
    expect(definition('sora_generations_job_id_key')).toMatch(/UNIQUE INDEX .* \(job_id\) WHERE \(job_id IS NOT NULL\)/);
    expect(definition('sora_events_video_id_idx')).toMatch(/\(video_id, id DESC\)/);
    expect(definition('sora_events_user_id_idx')).toMatch(/\(user_id, id\)/);

    const [identity] = await executeRows<{ identity: string }>(
      db,
      sql`select is_identity || ':' || identity_generation as identity from information_schema.columns
          where table_name = 'sora_events' and column_name = 'id'`,
    );
    expect(identity?.identity).toBe('YES:ALWAYS');
  });

  it('reports every committed migration as applied', async () => {
    expect(await testDb.handle.migrationsApplied()).toBe(true);
    expect(await recordedMigrations(testDb.handle)).toBe(committedMigrations);
  });

  it('leaves a database alone with migrate: false', async () => {
    const bare = await createTestDb({ migrate: false });
    try {
      expect(await bare.handle.migrationsApplied()).toBe(false);
    } finally {
      await bare.cleanup();
    }
  });

  if (testDbKind() === 'postgres') {
    it('migrates once when several processes start together, and is a no-op the second time', async () => {
      const database = await createTestDatabase();
      try {
        const handles = await Promise.all([1, 2, 3].map(() => createDb({ databaseUrl: database.url, max: 1 })));
        await Promise.all(handles.map((handle) => handle.close()));
        const again = await createDb({ databaseUrl: database.url, max: 1 });
        expect(await recordedMigrations(again)).toBe(committedMigrations);
        expect(await again.migrationsApplied()).toBe(true);
        await again.close();
      } finally {
        await database.drop();
      }
    });
  } else {
    it('is a no-op when a PGlite directory is opened again', async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sora-db-migrate-'));
      try {
        await (await createDb({ dataDir })).close();
        const again = await createDb({ dataDir });
        expect(await recordedMigrations(again)).toBe(committedMigrations);
        expect(await again.migrationsApplied()).toBe(true);
        await again.close();
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }
});
