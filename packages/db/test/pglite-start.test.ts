import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../src';
import { PGLITE_SHARED_BUFFERS } from '../src/pglite-start';
import { executeRows } from '../src/rows';
import { extractMigratedPgliteTemplate } from '../src/testing/pglite-template';
import { openReusedPglite } from '../src/testing/reused-pglite';
import type { DbHandle } from '../src/types';

// The embedded database starts with a smaller buffer pool than PostgreSQL's 128 MB default (src/pglite-start.ts),
// whatever the data directory's postgresql.conf says: the template's says 128MB.

const sharedBuffers = async (handle: DbHandle) =>
  (await executeRows<{ shared_buffers: string }>(handle.db, sql`show shared_buffers`))[0]!.shared_buffers;

describe('embedded database start', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`opens a data directory with ${PGLITE_SHARED_BUFFERS} of shared buffers, over its postgresql.conf`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sora-pglite-start-'));
    dirs.push(dir);
    const dataDir = path.join(dir, 'pglite');
    await extractMigratedPgliteTemplate(dataDir);
    expect(fs.readFileSync(path.join(dataDir, 'postgresql.conf'), 'utf8')).toMatch(
      /^shared_buffers = 128MB/m,
    );

    const handle = await createDb({ dataDir });
    try {
      expect(await sharedBuffers(handle)).toBe(PGLITE_SHARED_BUFFERS);
      expect(await handle.migrationsApplied()).toBe(true);
    } finally {
      await handle.close();
    }
  }, 60_000);

  it(`gives the in-memory test databases ${PGLITE_SHARED_BUFFERS} of shared buffers too`, async () => {
    const handle = await openReusedPglite({});
    try {
      expect(await sharedBuffers(handle)).toBe(PGLITE_SHARED_BUFFERS);
    } finally {
      await handle.close();
    }
  });
});
