// The one test command: the web and CLI builds; then one vitest run of every project (unit once; database tests on
// PGlite and on PostgreSQL) with lint and typecheck beside it; then the Playwright suite in Chromium.
// Ends with a plain "N passed, N failed" line and writes the counts to .vitest-results/summary-<label>.json.
//   node scripts/test.mjs                          everything
//   node scripts/test.mjs --projects=unit,pglite   vitest only, these projects (CI's second Node version)
// Env: TEST_NODE (node binary for vitest), TEST_DATABASE_URL (PostgreSQL server for the postgres project),
//      REQUIRE_POSTGRES=1 (a missing PostgreSQL is a failure, as in CI), TEST_LABEL (names the summary file).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { stripVTControlCharacters } from 'node:util';
import path from 'node:path';
import { bundleServerForRun } from './server-bundle.mjs';
import { useRunTempDir } from './test-temp-dir.mjs';

const projectsArg = process.argv.find((arg) => arg.startsWith('--projects='));
const vitestOnly = projectsArg !== undefined;
const wanted = projectsArg ? projectsArg.slice('--projects='.length).split(',').filter(Boolean) : ['unit', 'pglite', 'postgres'];
const label = process.env.TEST_LABEL ?? (vitestOnly ? 'vitest' : 'all');
const resultsDir = path.resolve('.vitest-results');
mkdirSync(resultsDir, { recursive: true });
const testNode = process.env.TEST_NODE ?? process.execPath;
const pgUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const started = Date.now();
// One temporary directory for everything this run's tests and servers make (vitest's and Playwright's), removed at the end.
const runTemp = useRunTempDir();
const seconds = (since) => `${Math.round((Date.now() - since) / 1000)} s`;

const steps = [];
const failures = [];
const record = (name, passed, failed, note = '') => {
  steps.push({ name, passed, failed });
  console.log(`\n>>> ${name}: ${passed} passed, ${failed} failed${note ? ` (${note})` : ''}\n`);
};
// Child processes the tests spawn (tsx, servers) must run on the same Node as vitest: put it first on PATH.
const testPath = `${path.dirname(testNode)}${path.delimiter}${process.env.PATH ?? ''}`;

/** Runs a command with its output streamed through. Resolves to whether it exited 0. */
function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}

/** Runs a command with its output held back and printed in one piece when it ends (steps side by side stay readable). */
function runQuietly(name, cmd, args) {
  const since = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.once('error', (error) => chunks.push(Buffer.from(String(error))));
    child.once('close', (code) => {
      const output = Buffer.concat(chunks).toString().trim();
      console.log(`\n--- ${name} (${seconds(since)})${output ? `\n${output}` : ''}`);
      resolve(code === 0);
    });
  });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** "project file > title: first error line" for each test Playwright's JSON report says went wrong. */
function playwrightFailures(report) {
  const found = [];
  const walk = (suite, file) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') continue;
        const error = test.results?.find((result) => result.error)?.error?.message ?? '';
        const firstLine = stripVTControlCharacters(error).split('\n')[0].slice(0, 200);
        found.push(`e2e ${test.projectName} ${spec.file ?? file} > ${spec.title}: ${firstLine}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, suite.file ?? file);
  };
  for (const suite of report?.suites ?? []) walk(suite, suite.file);
  return found;
}

function canConnect(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 5432) });
    socket.setTimeout(2_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

async function vitest(projects) {
  const countsFile = path.join(resultsDir, `vitest-${label}.json`);
  rmSync(countsFile, { force: true });
  const since = Date.now();
  const nodeVersion = spawnSync(testNode, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const ok = await run(
    testNode,
    ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=./scripts/vitest-count-reporter.mjs', ...projects.map((name) => `--project=${name}`)],
    { PATH: testPath, TEST_DATABASE_URL: pgUrl, VITEST_COUNTS_FILE: countsFile },
  );
  const report = readJson(countsFile);
  if (!report) return record('vitest', 0, 1, 'vitest produced no counts');
  for (const name of projects) {
    const counts = report.projects[name] ?? { passed: 0, failed: 1, skipped: 0, files: 0 };
    record(`vitest ${name}`, counts.passed, counts.failed, `${counts.files} files, ${counts.skipped} skipped, node ${nodeVersion}`);
  }
  failures.push(...(report.failures ?? []));
  const failedAnywhere = steps.some((step) => step.failed > 0);
  if (report.unhandledErrors > 0 || (!ok && !failedAnywhere)) record('vitest run', 0, 1, `${report.unhandledErrors} unhandled errors, exit ${ok ? 0 : 'non-zero'}`);
  console.log(`vitest took ${seconds(since)}`);
}

let projects = wanted;
if (wanted.includes('postgres') && !(await canConnect(pgUrl))) {
  projects = wanted.filter((name) => name !== 'postgres');
  if (process.env.REQUIRE_POSTGRES === '1') record('vitest postgres', 0, 1, `PostgreSQL is not reachable at ${pgUrl}`);
  else console.log(`\nPostgreSQL is not reachable at ${pgUrl}: the postgres project was not run (set TEST_DATABASE_URL).\n`);
}

let checks = null;
if (!vitestOnly) {
  // Chromium for the e2e suite: Debian's package as root (no download needed), else Playwright's own.
  if (!(await run(process.execPath, ['scripts/ensure-browser.mjs']))) record('browser', 0, 1, 'could not install Chromium');
  // The builds first (vitest's CLI tests use the CLI's bundle: each CLI process then starts in a fifth of the CPU; the
  // bin falls back to the sources if it is missing or stale). Lint and typecheck run beside vitest: vitest's first
  // minutes leave a quarter of the CPU idle, and lint alone would hold everything up for half a minute on one core.
  const [build, cliBuild] = await Promise.all([
    runQuietly('web build', 'pnpm', ['--filter', '@sora-monitor/web', 'build']),
    runQuietly('cli build', 'pnpm', ['--filter', '@sora-monitor/cli', 'build']),
  ]);
  if (!build) record('web build', 0, 1);
  if (!cliBuild) record('cli build', 0, 1);
  checks = Promise.all([runQuietly('lint', 'pnpm', ['lint']), runQuietly('typecheck', 'pnpm', ['typecheck'])]);
}

// One bundle of the server for every server process the tests start, vitest's and Playwright's alike
// (scripts/server-bundle.mjs; vitest's global setup and playwright.config.ts use it when SORA_SERVER_BUNDLE names it).
const serverBundle = await bundleServerForRun();

await vitest(projects);

if (checks) {
  const [lint, typecheck] = await checks;
  record('lint', lint ? 1 : 0, lint ? 0 : 1);
  record('typecheck', typecheck ? 1 : 0, typecheck ? 0 : 1);
}

if (!vitestOnly) {
  const out = path.join(resultsDir, `playwright-${label}.json`);
  rmSync(out, { force: true });
  const since = Date.now();
  const ok = await run('pnpm', ['exec', 'playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  const report = readJson(out);
  const stats = report?.stats;
  failures.push(...playwrightFailures(report));
  if (!stats) record('e2e', 0, 1, 'Playwright produced no report');
  else record('e2e', stats.expected + stats.flaky, stats.unexpected + (ok || stats.unexpected > 0 ? 0 : 1), `${stats.skipped} skipped, ${seconds(since)}`);
}

serverBundle.remove();
runTemp.remove();

const passed = steps.reduce((sum, step) => sum + step.passed, 0);
const failed = steps.reduce((sum, step) => sum + step.failed, 0);
writeFileSync(path.join(resultsDir, `summary-${label}.json`), JSON.stringify({ label, passed, failed, seconds: Math.round((Date.now() - started) / 1000), steps, failures }, null, 2));
if (failures.length > 0) console.log(`\nFailed:\n${failures.map((line) => `  ${line}`).join('\n')}`);
console.log(`\nAll steps took ${seconds(started)}.`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
