// The server's entry point (apps/server/src/main.ts), the workspace code it imports and the packages they use, in one ES
// module file, for the server processes the tests and the benchmarks start: Node 20 runs tsx's loader hooks on a second
// thread with a message per module, so a server started from source spent about 5.7 s of CPU loading itself, 2 s from a
// bundle of the workspace code alone; and finding, reading and compiling some two thousand files in node_modules one by
// one took about 1 s of the 4.4 s a bundled server took to start here (3.3 s with them inside).
// A few packages stay outside (KEEP_OUT: imported by absolute path, as Node would resolve them) because they find files
// relative to themselves: PGlite its WebAssembly and data files, pino its transports in worker threads. Each
// workspace source file keeps its own import.meta.url, so paths the code finds relative to itself (migrations, the web
// build, the simulator's assets) are the same as from source.
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
const KEEP_OUT = /^(@electric-sql\/pglite|pino|pino-pretty|thread-stream|tsx)(\/|$)/;

/** @type {import('esbuild').Plugin} */
const keepSomeOut = {
  name: 'keep-some-out',
  setup(bundle) {
    bundle.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'resolving' || !KEEP_OUT.test(args.path)) return undefined;
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
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
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
    plugins: [keepSomeOut],
    // CommonJS packages inside an ES module still call require() (for Node's own modules): give them one.
    banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
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
