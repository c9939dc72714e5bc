import { cpus } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { classifyTestFiles } from './scripts/test-files.ts';

// Three projects, so each test runs exactly where it matters:
//   unit      files that need no database, once;
//   pglite    files that take a test database, on in-memory PGlite;
//   postgres  the same files on PostgreSQL (TEST_DATABASE_URL, a server URL; a fresh database per test).
// Which files need a database is read from their imports (scripts/test-files.mjs). Pick projects with --project;
// scripts/test.mjs runs unit + pglite + postgres in one vitest process.
const { database, plain } = classifyTestFiles(import.meta.dirname);
const postgresUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

// Most tests wait on I/O (a simulated upstream, a database, a child process), so more workers than there are cores
// keep the CPU busy. Measured here (2 cores, the three projects, one after another): 3 workers 317 s with the machine
// 72 % busy, 4 workers 272 s (81 %), 5 workers 268 s (89 %). Within `pnpm test` (lint and typecheck beside vitest's first
// minute), four workers left the machine half idle for a minute while the PostgreSQL project's long fault tests waited
// out outages and leases side by side: vitest 225–233 s; six workers 210 s (twice), the machine 96 % busy until the
// e2e suite (2026-12-05, seventh session's machine). Override with VITEST_MAX_WORKERS (1 to debug ordering).
const maxWorkers = Number(process.env.VITEST_MAX_WORKERS) || cpus().length + 4;

// Vitest queues each project's files together (a worker is reused only within a project), by name unless told.
// PostgreSQL's go first: its long fault tests mostly wait (on processes, outages, leases), and `pnpm test` runs lint and
// typecheck beside vitest's first minute, so the two fill each other's idle time. Here: README test command
// 370 → 363 s, one run each.
const PROJECT_ORDER = ['postgres', 'pglite', 'unit'];
class ProjectOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => PROJECT_ORDER.indexOf(file.project.name);
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    pool: 'forks',
    // A worker process runs file after file with its module cache kept: loading the workspace once per worker instead
    // of once per file cut the suite's CPU by about 40 % (import time 438 s → 50 s). Every harness builds its own
    // services, databases and servers, and no test mocks modules, so files share nothing else.
    isolate: false,
    maxWorkers,
    sequence: { sequencer: ProjectOrder },
    // One temporary directory for the run, removed at its end, and one bundle of the server for the tests that start
    // server processes (scripts/vitest-global-setup.mjs).
    globalSetup: ['./scripts/vitest-global-setup.mjs'],
    // Measures each file's CPU in its worker (`fileCpu` in .vitest-results/vitest-<label>.json).
    setupFiles: ['./scripts/vitest-file-cpu.ts'],
    // A limit for a hung test, not a speed goal: tests that start a server creating a PGlite database took 10–21 s in
    // full runs here, and over 30 s once in CI's Node 24 pass, which shares two cores with the quick benchmarks.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: plain, env: { TEST_DATABASE_URL: '' } } },
      { extends: true, test: { name: 'pglite', include: database, env: { TEST_DATABASE_URL: '' } } },
      // Reused processes here too. A fresh process per file hid a stalled fleet takeover (3 of 5 runs) whose causes were
      // in the product: sessions stalled mid-statement and transactions outliving their connection (stalled-sessions.ts,
      // patches/postgres@3.4.9.patch). Reused: 289 → 205–222 s for this project alone, 4 of 4 runs passed.
      { extends: true, test: { name: 'postgres', isolate: false, include: database, env: { TEST_DATABASE_URL: postgresUrl } } },
    ],
  },
});
