import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder } from '../migrations';
import { startPglite } from '../pglite-start';
import * as schema from '../schema';
import { migrationsKey } from './migrations-key';

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

/**
 * The template as a tar file of a data directory (paths from its root): extracted into a spawned server's
 * `DATA_DIR/pglite`, the server opens a migrated database instead of running initdb.
 */
async function migratedPgliteTemplateFile(): Promise<string> {
  const file = templatePath();
  if (fs.existsSync(file)) return file;
  // Not built yet, or removed meanwhile by another checkout's tests: write it again.
  writeAtomically(file, Buffer.from(await (await migratedPgliteTemplate()).arrayBuffer()));
  return file;
}

/** Fills `pgdata` (made if missing) with the migrated template: PGlite opens it without initdb or migrations. */
export async function extractMigratedPgliteTemplate(pgdata: string): Promise<void> {
  fs.mkdirSync(pgdata, { recursive: true });
  // Paths in the dump start at '/', which tar strips (and says so on stderr: kept out of the test output).
  execFileSync('tar', ['-xf', await migratedPgliteTemplateFile(), '-C', pgdata], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Write then rename, so a concurrent test process never reads half a file. */
function writeAtomically(file: string, bytes: Buffer): void {
  const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
  fs.writeFileSync(partial, bytes);
  fs.renameSync(partial, file);
}

/** Where templates are kept between runs: a test run points TMPDIR at its own directory and names this one. */
function cacheDir(): string {
  return process.env.SORA_TEST_CACHE_DIR || os.tmpdir();
}

function templatePath(): string {
  return path.join(cacheDir(), `${FILE_PREFIX}${templateKey()}.tar`);
}

async function loadOrBuild(): Promise<Blob> {
  const file = templatePath();
  const cached = readIfExists(file);
  if (cached) return new Blob([new Uint8Array(cached)]);

  const client = await startPglite();
  try {
    await migrate(drizzle({ client, schema }), { migrationsFolder });
    const dump = await client.dumpDataDir('none');
    writeAtomically(file, Buffer.from(await dump.arrayBuffer()));
    removeOutdatedTemplates(file);
    return dump;
  } finally {
    await client.close();
  }
}

function templateKey(): string {
  const hash = createHash('sha256').update(migrationsKey());
  // pnpm's store path of PGlite names its version, so an upgrade gets a fresh template (the same in every checkout).
  const pglitePath = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  hash.update(/@electric-sql\+pglite@[^/]+/.exec(pglitePath)?.[0] ?? pglitePath);
  return hash.digest('hex').slice(0, 16);
}

function readIfExists(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null; // absent, or removed as outdated by another checkout: build it
  }
}

/**
 * Templates of earlier migrations are 40 MB each: remove those unused for a day. (Not sooner: another checkout on
 * this machine, on other migrations, may be running its tests from one right now.)
 */
function removeOutdatedTemplates(current: string): void {
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const name of fs.readdirSync(cacheDir())) {
    const file = path.join(cacheDir(), name);
    if (!name.startsWith(FILE_PREFIX) || !name.endsWith('.tar') || file === current) continue;
    try {
      if (fs.statSync(file).atimeMs < dayAgo) fs.rmSync(file, { force: true });
    } catch {
      // removed by another process meanwhile
    }
  }
}
