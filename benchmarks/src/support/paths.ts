import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const benchDir = path.resolve(here, '../..');
export const repoDir = path.resolve(benchDir, '..');
export const serverDir = path.join(repoDir, 'apps/server');
export const simulatorDir = path.join(repoDir, 'packages/simulator');
/** Preloaded into every process the benchmarks spawn, to read its memory and event-loop delay from outside. */
export const probeFile = path.join(here, 'probe.ts');
