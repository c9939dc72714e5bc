import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The SPA is public: every built file can be read by anyone, and source maps too wherever they are served (vite.config.ts
 * writes them, hidden; the server serves them in development only). The web app is built once, exactly as `pnpm --filter
 * @sora-monitor/web build` does, with canary values in the server's secret variables, and what ships is searched.
 */

const webDir = fileURLToPath(new URL('../../../web', import.meta.url));
const viteBin = path.join(webDir, 'node_modules/vite/bin/vite.js');

const run = randomUUID();
const CANARIES = {
  OPENAI_API_KEY: `sk-canary-openai-${run}`,
  OPENAI_WEBHOOK_SECRET: `whsec_canary-${run}`,
  AUTH_SECRET: `canary-auth-secret-${run}`,
  DATABASE_URL: `postgres://canary_user:canary-db-password-${run}@db.canary.invalid:5432/canary`,
};
const SERVER_VARIABLES = Object.keys(CANARIES);

/** Packages and workspace code that only the server may load: drivers, auth storage, the SDK, the HTTP server. */
const SERVER_ONLY_SOURCES = [
  /node_modules\/(pg|postgres|@electric-sql\/pglite|drizzle-orm|openai|pino|fastify|@fastify\/[^/]+|prom-client|rate-limiter-flexible)\//,
  /node_modules\/better-auth\/dist\/(adapters|db|plugins\/api-key)/,
  /\/packages\/(db|simulator)\//,
  /\/apps\/(server|cli)\//,
];

let outDir: string;
let files: Array<{ name: string; text: string }>;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'sora-monitor-spa-'));
  await promisify(execFile)(
    process.execPath,
    [viteBin, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: webDir,
      env: { ...process.env, ...CANARIES, NODE_ENV: 'production' },
    },
  );
  const names = (await readdir(outDir, { recursive: true, withFileTypes: true })).filter((entry) =>
    entry.isFile(),
  );
  files = await Promise.all(
    names.map(async (entry) => {
      const full = path.join(entry.parentPath, entry.name);
      return { name: path.relative(outDir, full), text: await readFile(full, 'utf8') };
    }),
  );
}, 180_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const sourceMaps = () => files.filter((file) => file.name.endsWith('.map'));

describe('the built SPA (every file that ships, source maps included)', () => {
  it('is a real build: index.html, scripts, and a source map with sources for every script', () => {
    expect(files.some((file) => file.name === 'index.html')).toBe(true);
    const scripts = files.filter((file) => file.name.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    // The bundler's own loader for lazy chunks (generated code, no source of ours) ships without a map.
    for (const script of scripts.filter((file) => !/^assets\/rolldown-runtime-[\w-]+\.js$/.test(file.name))) {
      const map = files.find((file) => file.name === `${script.name}.map`);
      expect(map, `${script.name} has a source map`).toBeDefined();
      expect((JSON.parse(map!.text) as { sourcesContent?: string[] }).sourcesContent?.length).toBeGreaterThan(
        0,
      );
    }
    // The search below reads what the browser gets: the app's own code is in there.
    expect(files.some((file) => file.text.includes('/trpc'))).toBe(true);
  });

  it("needs nothing the Content-Security-Policy forbids: no inline script or style, and no bundle points at its map", () => {
    const index = files.find((file) => file.name === 'index.html')!.text;
    for (const tag of index.match(/<script\b[^>]*>/g) ?? []) expect(tag, 'every script has a src').toMatch(/\bsrc="\/assets\//);
    expect(index).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
    expect(index).not.toMatch(/<style\b|\sstyle="|\son[a-z]+="/i);
    for (const script of files.filter((file) => file.name.endsWith('.js'))) expect(script.text).not.toContain('sourceMappingURL');
  });

  it('contains no value of OPENAI_API_KEY, OPENAI_WEBHOOK_SECRET, AUTH_SECRET or DATABASE_URL', () => {
    const needles = [...Object.values(CANARIES), `canary-db-password-${run}`, 'db.canary.invalid', run];
    for (const file of files) {
      for (const needle of needles)
        expect(file.text.includes(needle), `${file.name} contains ${needle}`).toBe(false);
    }
  });

  it('does not even name the server-only variables', () => {
    for (const file of files) {
      for (const name of SERVER_VARIABLES)
        expect(file.text.includes(name), `${file.name} names ${name}`).toBe(false);
    }
  });

  it('bundles no server-only code: no database driver, auth adapter, OpenAI SDK or server module', () => {
    const sources = sourceMaps().flatMap((map) => (JSON.parse(map.text) as { sources: string[] }).sources);
    expect(sources.length).toBeGreaterThan(0);
    const serverOnly = sources.filter((source) =>
      SERVER_ONLY_SOURCES.some((pattern) => pattern.test(source)),
    );
    expect(serverOnly).toEqual([]);
    // Of the shared core package only the pure, browser-safe domain rules may be bundled.
    const core = sources.filter((source) => source.includes('/packages/core/'));
    expect(core.filter((source) => !source.includes('/packages/core/src/domain/'))).toEqual([]);
  });
});
