// Once per vitest run: bundles the server (scripts/server-bundle.mjs) for the tests that start server processes, unless
// scripts/test.mjs already did for the whole run; they find it through SORA_SERVER_BUNDLE (server-process.ts).
import { bundleServerForRun } from './server-bundle.mjs';

export default async function setup() {
  // vitest runs this once per project: the first made the bundle for the whole run and set SORA_SERVER_BUNDLE.
  const { remove } = await bundleServerForRun();
  return remove;
}
