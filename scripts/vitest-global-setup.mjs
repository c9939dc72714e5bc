// Once per vitest run: bundles the server (scripts/server-bundle.mjs) for the tests that start server processes; they
// find it through SORA_SERVER_BUNDLE (apps/server/test/server-process.ts) and run the sources through tsx without it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleServer } from './server-bundle.mjs';

export default async function setup() {
  // vitest runs this once per project: the first made the bundle for the whole run ('off' keeps the sources).
  if (process.env.SORA_SERVER_BUNDLE) return undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'sora-server-bundle-'));
  const outfile = path.join(dir, 'main.mjs');
  await bundleServer(outfile);
  process.env.SORA_SERVER_BUNDLE = outfile;
  return () => rmSync(dir, { recursive: true, force: true });
}
