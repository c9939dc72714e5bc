// Sorts the test files into those that need a database and those that don't, so vitest runs each exactly where it
// matters: database tests once per database (PGlite and PostgreSQL), the rest once.
//
// The rule is the one `packages/db/src/testing` states: it is the one place test code reads TEST_DATABASE_URL. A test
// file needs a database when it, or a local module it imports (followed through relative imports), imports
// `@sora-monitor/db/testing` or mentions TEST_DATABASE_URL. Nothing to keep in sync by hand: a new test file that
// takes a test database is a database test.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const TEST_ROOTS = ['packages', 'apps'];
const TEST_FILE = /\.test\.ts$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', '.data', 'web']);
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
const DATABASE_MARKER = /@sora-monitor\/db\/testing|TEST_DATABASE_URL/;

function walk(dir: string, out: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(path.join(dir, entry.name), out);
    } else if (TEST_FILE.test(entry.name)) {
      out.push(path.join(dir, entry.name));
    }
  }
  return out;
}

function resolveRelative(from: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')];
  return candidates.find((file) => existsSync(file) && statSync(file).isFile()) ?? null;
}

/** Whether `file` (or anything it imports relatively) reaches a test database. Memoised across calls. */
function makeNeedsDatabase() {
  const memo = new Map<string, boolean>();
  const visit = (file: string): boolean => {
    const known = memo.get(file);
    if (known !== undefined) return known;
    memo.set(file, false); // cycles: assume no until proven
    const source = readFileSync(file, 'utf8');
    let needs = DATABASE_MARKER.test(source);
    for (const match of needs ? [] : source.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      if (!specifier?.startsWith('.')) continue;
      const target = resolveRelative(file, specifier);
      if (target && visit(target)) {
        needs = true;
        break;
      }
    }
    memo.set(file, needs);
    return needs;
  };
  return visit;
}

/** `{ database, plain }`: test files relative to `root`, sorted. */
export function classifyTestFiles(root: string): { database: string[]; plain: string[] } {
  const needsDatabase = makeNeedsDatabase();
  const files = TEST_ROOTS.flatMap((dir) => walk(path.join(root, dir), [])).sort();
  const database: string[] = [];
  const plain: string[] = [];
  for (const file of files) (needsDatabase(file) ? database : plain).push(path.relative(root, file));
  return { database, plain };
}
