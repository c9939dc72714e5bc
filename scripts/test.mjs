// The one test command: lint, typecheck, unit + integration (PGlite, then PostgreSQL when reachable) and e2e.
// Ends with a plain "N passed, N failed" line and writes the same counts to .vitest-results/summary-<label>.json.
//   node scripts/test.mjs                 everything
//   node scripts/test.mjs --unit-only     lint/typecheck/e2e skipped (used for the second Node version in CI)
// Env: TEST_NODE (node binary for vitest), TEST_DATABASE_URL (PostgreSQL for the second pass),
//      REQUIRE_POSTGRES=1 (a missing PostgreSQL is a failure, as in CI), TEST_LABEL (names the summary file).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const unitOnly = process.argv.includes('--unit-only');
const label = process.env.TEST_LABEL ?? (unitOnly ? 'unit' : 'all');
const resultsDir = path.resolve('.vitest-results');
mkdirSync(resultsDir, { recursive: true });
const testNode = process.env.TEST_NODE ?? process.execPath;
const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const steps = [];
const record = (name, passed, failed, note = '') => {
  steps.push({ name, passed, failed });
  console.log(`\n>>> ${name}: ${passed} passed, ${failed} failed${note ? ` (${note})` : ''}\n`);
};
// Child processes the tests spawn (tsx, servers) must run on the same Node as vitest: put it first on PATH.
const testPath = `${path.dirname(testNode)}${path.delimiter}${process.env.PATH ?? ''}`;
const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status === 0;

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function vitestPass(name, env) {
  const out = path.join(resultsDir, `vitest-${label}-${name}.json`);
  rmSync(out, { force: true });
  const ok = run(testNode, ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}`], { PATH: testPath, ...env });
  const report = readJson(out);
  if (!report) return record(`vitest (${name})`, 0, 1, 'vitest produced no report');
  const failed = report.numFailedTests + (ok || report.numFailedTests > 0 ? 0 : 1);
  record(`vitest (${name})`, report.numPassedTests, failed, `node ${nodeVersion()}`);
}

function nodeVersion() {
  return spawnSync(testNode, ['--version'], { encoding: 'utf8' }).stdout.trim();
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

if (!unitOnly) {
  record('lint', ...(run('pnpm', ['lint']) ? [1, 0] : [0, 1]));
  record('typecheck', ...(run('pnpm', ['typecheck']) ? [1, 0] : [0, 1]));
}

vitestPass('pglite', { TEST_DATABASE_URL: '' });
if (await canConnect(pgUrl)) {
  vitestPass('postgres', { TEST_DATABASE_URL: pgUrl });
} else if (process.env.REQUIRE_POSTGRES === '1') {
  record('vitest (postgres)', 0, 1, `PostgreSQL is not reachable at ${pgUrl}`);
} else {
  console.log(`\nPostgreSQL is not reachable at ${pgUrl}: the PostgreSQL pass was not run (set TEST_DATABASE_URL).\n`);
}

if (!unitOnly) {
  const out = path.join(resultsDir, `playwright-${label}.json`);
  rmSync(out, { force: true });
  const ok = run('pnpm', ['test:e2e'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  const stats = readJson(out)?.stats;
  if (!stats) record('e2e', 0, 1, 'Playwright produced no report');
  else record('e2e', stats.expected + stats.flaky, stats.unexpected + (ok || stats.unexpected > 0 ? 0 : 1));
}

const passed = steps.reduce((sum, step) => sum + step.passed, 0);
const failed = steps.reduce((sum, step) => sum + step.failed, 0);
writeFileSync(path.join(resultsDir, `summary-${label}.json`), JSON.stringify({ label, passed, failed, steps }, null, 2));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
