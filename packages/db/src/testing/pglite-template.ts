import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrationsFolder } from '../migrations';
import * as schema from '../schema';

/*
 * Creating a PGlite cluster (initdb in WASM) takes seconds; loading a dump of one takes a fraction of that. So a
 * migrated cluster is built once, dumped, cached on disk for every test process (keyed by the migrations and the
 * PGlite build), and every in-memory test database starts from that dump.
 */

const FILE_PREFIX = 'sora-monitor-pglite-template-';
let template: Promise<Blob> | null = null;

export function migratedPgliteTemplate(): Promise<Blob> {
  template ??= loadOrBuild();
  return template;
}

async function loadOrBuild(): Promise<Blob> {
  const file = path.join(os.tmpdir(), `${FILE_PREFIX}${templateKey()}.tar`);
  const cached = readIfExists(file);
  if (cached) return new Blob([cached]);

  const client = await PGlite.create();
  try {
    await migrate(drizzle({ client, schema }), { migrationsFolder });
    const dump = await client.dumpDataDir('none');
    // Write then rename, so a concurrent test process never reads half a file.
    const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
    removeOutdatedTemplates(file);
    return dump;
  } finally {
    await client.close();
  }
}

function templateKey(): string {
  const hash = createHash('sha256');
  for (const migration of readMigrationFiles({ migrationsFolder })) hash.update(migration.hash);
  // pnpm's store path of PGlite names its version, so an upgrade gets a fresh template.
  hash.update(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  return hash.digest('hex').slice(0, 16);
}

function readIfExists(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null; // absent, or removed as outdated by another checkout: build it
  }
}

/** Templates of earlier migrations are 40 MB each: keep only the current one. */
function removeOutdatedTemplates(current: string): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const file = path.join(os.tmpdir(), name);
    if (name.startsWith(FILE_PREFIX) && name.endsWith('.tar') && file !== current) fs.rmSync(file, { force: true });
  }
}
