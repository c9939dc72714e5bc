// Every temporary file a test run makes (servers' data directories, extracted databases, CLI homes, downloads, the
// server bundle) goes into one directory for the run, removed when the run ends: tests and the processes they start
// make theirs with os.tmpdir(), which reads TMPDIR. Before, a session's runs left gigabytes behind in the system's
// temporary directory. The migrated PGlite template is a cache shared by runs and checkouts, so it stays in the
// system's temporary directory (SORA_TEST_CACHE_DIR, packages/db/src/testing/pglite-template.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Makes the run's directory and points TMPDIR at it for this process and the processes it starts, unless an outer run
 * (scripts/test.mjs around vitest) already did. `remove()` deletes it and restores TMPDIR.
 */
export function useRunTempDir() {
  if (process.env.SORA_TEST_RUN_DIR) return { dir: process.env.SORA_TEST_RUN_DIR, remove: () => undefined };
  const systemTmp = tmpdir();
  const dir = mkdtempSync(path.join(systemTmp, 'sora-monitor-test-run-'));
  const previous = process.env.TMPDIR;
  process.env.SORA_TEST_CACHE_DIR ||= systemTmp;
  process.env.SORA_TEST_RUN_DIR = dir;
  process.env.TMPDIR = dir;
  return {
    dir,
    remove() {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      delete process.env.SORA_TEST_RUN_DIR;
      // A server a failed test left running may still be writing: retry rather than leave half a tree behind.
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}
