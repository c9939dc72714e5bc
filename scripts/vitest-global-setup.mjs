// Once per vitest run: one temporary directory for everything the tests make (scripts/test-temp-dir.mjs), and the
// server bundled (scripts/server-bundle.mjs) for the tests that start server processes; they find it through
// SORA_SERVER_BUNDLE (server-process.ts). scripts/test.mjs may already have done both for the whole run.
import { bundleServerForRun } from './server-bundle.mjs';
import { useRunTempDir } from './test-temp-dir.mjs';

export default async function setup() {
  // vitest runs this once per project: the first made both for the whole run and set the variables that say so.
  const temp = useRunTempDir();
  const bundle = await bundleServerForRun();
  return () => {
    bundle.remove();
    temp.remove();
  };
}
