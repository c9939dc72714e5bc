// The server's entry point (apps/server/src/main.ts) and the workspace code it imports in one ES module file, for the
// server processes the tests and the benchmarks start: Node 20 runs tsx's loader hooks on a second thread with a
// message per module, so a server started from source spends about 5.7 s of CPU loading itself, 2 s from this bundle.
// Packages from node_modules stay outside it (imported by absolute path, as Node would resolve them), and each source
// file keeps its own import.meta.url, so paths the code finds relative to itself (migrations, the web build,
// the simulator's assets) are the same as from source.
//
// SORA_SERVER_BUNDLE says which to run: the absolute path of a bundle made for this run, or `off` for the sources.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const entry = path.join(root, 'apps', 'server', 'src', 'main.ts');

/** @type {import('esbuild').Plugin} */
const workspaceOnly = {
  name: 'workspace-only',
  setup(bundle) {
    bundle.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (
        args.pluginData === 'resolving' ||
        args.path.startsWith('node:') ||
        args.path.startsWith('@sora-monitor/')
      )
        return undefined;
      const found = await bundle.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      if (found.errors.length > 0 || !path.isAbsolute(found.path)) return undefined;
      return { path: found.path, external: true };
    });
    bundle.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return {
        contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: 'ts',
      };
    });
  },
};

/** Writes the bundle to `outfile`. */
export async function bundleServer(outfile) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    plugins: [workspaceOnly],
  });
}

/**
 * Bundles the server into a new temporary directory unless SORA_SERVER_BUNDLE already says what to run (a bundle, or
 * `off`); sets it for this process and the processes it starts. `remove()` deletes what was made here, if anything.
 */
export async function bundleServerForRun() {
  if (process.env.SORA_SERVER_BUNDLE) return { dir: null, remove: () => undefined };
  const dir = mkdtempSync(path.join(tmpdir(), 'sora-server-bundle-'));
  const outfile = path.join(dir, 'main.mjs');
  await bundleServer(outfile);
  process.env.SORA_SERVER_BUNDLE = outfile;
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The bundle SORA_SERVER_BUNDLE names, or null: run the sources (unset, `off`, or not an absolute path). */
export function serverBundleFromEnv() {
  const bundle = process.env.SORA_SERVER_BUNDLE;
  return bundle && path.isAbsolute(bundle) ? bundle : null;
}
