import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE_NAME, createDb, user } from '../src';
import { acquireDataDirLock } from '../src/data-dir-lock';
import { extractMigratedPgliteTemplate } from '../src/testing/pglite-template';
import { runTs, waitForOutput } from './support/child-process';

// These tests start a child process that opens a PGlite database (in WebAssembly, through tsx): alone about 10 s here,
// 25–31 s in full test runs on two busy cores and 37 s in CI's Node 24 pass (beside the quick benchmarks), too close to
// the default limit. The database is there already (the migrated test template, extracted): creating one is tested in
// migrations.test.ts, and here it would only add an initdb in WebAssembly to each test.
const CHILD_PROCESS_TEST_TIMEOUT_MS = 90_000;

describe('PGlite data directory lock', () => {
  let dataDir: string;
  beforeEach(() => {
    // A directory that does not exist yet: the lock makes it, or withDatabase fills it.
    dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sora-db-lock-')), 'pglite');
  });
  afterEach(() => fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }));

  const lockFile = () => path.join(dataDir, LOCK_FILE_NAME);
  const withDatabase = () => extractMigratedPgliteTemplate(dataDir);
  const writeLock = (record: object) => {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(lockFile(), JSON.stringify(record));
  };

  it('refuses a second process with a message naming the directory, the holder and what to do', async () => {
    await withDatabase();
    const handle = await createDb({ dataDir });
    try {
      const child = runTs('./open-data-dir.ts', [dataDir]);
      const { code } = await child.exited;
      expect(code).toBe(3);
      expect(child.stderr).toContain('DataDirLockedError');
      expect(child.stderr).toContain(`The PGlite data directory ${dataDir} is in use by process ${process.pid}`);
      expect(child.stderr).toContain(`delete ${path.join(fs.realpathSync(dataDir), LOCK_FILE_NAME)}`);
    } finally {
      await handle.close();
    }
  }, CHILD_PROCESS_TEST_TIMEOUT_MS);

  it('takes over from a holder killed with SIGKILL, keeping its data', async () => {
    await withDatabase();
    const child = runTs('./open-data-dir.ts', [dataDir]);
    try {
      await waitForOutput(child, 'ready');
      const childPid = child.process.pid;
      const refused = await createDb({ dataDir }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DataDirLockedError);
      expect((refused as Error).message).toContain(`in use by process ${childPid} on host ${os.hostname()}`);
    } finally {
      child.process.kill('SIGKILL');
      await child.exited;
    }

    expect(fs.existsSync(lockFile())).toBe(true); // a killed process leaves its lock behind
    const handle = await createDb({ dataDir });
    try {
      const rows = await handle.db.select().from(user).where(eq(user.id, `child-${child.process.pid}`));
      expect(rows).toHaveLength(1);
      expect(JSON.parse(fs.readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid });
    } finally {
      await handle.close();
    }
    expect(fs.existsSync(lockFile())).toBe(false);
  }, CHILD_PROCESS_TEST_TIMEOUT_MS);

  it('releases the lock when the holder exits without closing', async () => {
    const child = runTs('./lock-and-exit.ts', [dataDir]);
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.stdout).toContain('locked');
    expect(fs.existsSync(lockFile())).toBe(false);
  });

  it('refuses a second opener in the same process until the first closes', async () => {
    const first = await acquireDataDirLock(dataDir);
    await expect(acquireDataDirLock(dataDir)).rejects.toThrow(/in use by this process/);
    first.release();
    const second = await acquireDataDirLock(dataDir);
    second.release();
    expect(fs.existsSync(lockFile())).toBe(false);
  });

  it('takes over a lock recorded under its own pid by an earlier run (a restarted container)', async () => {
    writeLock({ pid: process.pid, hostname: os.hostname(), token: 'earlier-run', acquiredAt: '2026-01-01T00:00:00Z' });
    const lock = await acquireDataDirLock(dataDir);
    expect(JSON.parse(fs.readFileSync(lockFile(), 'utf8')).token).not.toBe('earlier-run');
    lock.release();
  });

  it('refuses a lock held from another host or unreadable, rather than guess', async () => {
    writeLock({ pid: 1, hostname: 'some-other-host', token: 't', acquiredAt: '2026-01-01T00:00:00Z' });
    await expect(acquireDataDirLock(dataDir)).rejects.toThrow(/in use by process 1 on host some-other-host/);
    fs.writeFileSync(lockFile(), 'not json');
    await expect(acquireDataDirLock(dataDir)).rejects.toThrow(/unknown process/);
  });
});
