#!/usr/bin/env node
// The bundle when `pnpm --filter @sora-monitor/cli build` made one and no source changed since (starts in about a
// fifth of the time); otherwise the TypeScript sources through tsx's loader, as the rest of the workspace runs.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freshBundle } from './fresh-bundle.js';

const bundle = freshBundle(path.join(import.meta.dirname, '..', 'dist'));
if (bundle) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
