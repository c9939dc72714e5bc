import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useRunTempDir } from '../../../scripts/test-temp-dir.mjs';
import { extractMigratedPgliteTemplate } from '../src/testing/pglite-template';

/*
 * A test run keeps every temporary file in one directory of its own and removes it when it ends, so runs leave nothing
 * behind in the system's temporary directory; the PGlite template stays there, shared by runs.
 */

/** Runs `fn` as if no run had claimed a directory yet (a fresh `vitest` or `pnpm test`), then puts the env back. */
function asOutermostRun<T>(fn: () => T): T {
  const saved = { TMPDIR: process.env.TMPDIR, SORA_TEST_RUN_DIR: process.env.SORA_TEST_RUN_DIR };
  delete process.env.SORA_TEST_RUN_DIR;
  try {
    return fn();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('the test run temporary directory', () => {
  it('is where this run makes its temporary files, and holds no PGlite template', async () => {
    const runDir = process.env.SORA_TEST_RUN_DIR;
    expect(runDir).toBeTruthy();
    expect(tmpdir()).toBe(runDir);
    expect(path.basename(runDir!)).toMatch(/^sora-monitor-test-run-/);
    expect(process.env.SORA_TEST_CACHE_DIR).toBeTruthy();
    expect(process.env.SORA_TEST_CACHE_DIR).not.toBe(runDir);

    // A server's data directory extracted from the template lands in the run's directory; the template does not.
    const pgdata = path.join(tmpdir(), `template-check-${process.pid}`, 'pglite');
    await extractMigratedPgliteTemplate(pgdata);
    expect(existsSync(path.join(pgdata, 'PG_VERSION'))).toBe(true);
    expect(readdirSync(runDir!).filter((name) => name.startsWith('sora-monitor-pglite-template-'))).toEqual([]);
    expect(readdirSync(process.env.SORA_TEST_CACHE_DIR!).some((name) => name.startsWith('sora-monitor-pglite-template-'))).toBe(true);
  });

  it('points the processes a run starts at it, and is removed with everything in it when the run ends', () => {
    const outer = tmpdir();
    asOutermostRun(() => {
      const run = useRunTempDir();
      expect(path.dirname(run.dir)).toBe(outer);
      const seenByChild = execFileSync(process.execPath, ['-e', 'process.stdout.write(require("node:os").tmpdir())'], {
        encoding: 'utf8',
      });
      expect(seenByChild).toBe(run.dir);
      mkdirSync(path.join(tmpdir(), 'server-data', 'pglite'), { recursive: true });
      writeFileSync(path.join(tmpdir(), 'server-data', 'pglite', 'PG_VERSION'), '17');

      run.remove();
      expect(existsSync(run.dir)).toBe(false);
      expect(tmpdir()).toBe(outer);
      expect(process.env.SORA_TEST_RUN_DIR).toBeUndefined();
    });
  });

  it('is made once: a run inside a run (vitest inside `pnpm test`) uses the outer one and leaves its removal to it', () => {
    const inner = useRunTempDir();
    expect(inner.dir).toBe(process.env.SORA_TEST_RUN_DIR);
    inner.remove();
    expect(existsSync(inner.dir)).toBe(true);
    expect(tmpdir()).toBe(inner.dir);
  });
});
