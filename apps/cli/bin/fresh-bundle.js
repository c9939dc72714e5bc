import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The bundle `scripts/build.mjs` made in `distDir`, if it is there and no file it was made from has changed since
 * (an edited source, a pulled commit, a reinstalled dependency); null otherwise. About 150 stat calls: under 2 ms.
 */
export function freshBundle(distDir) {
  const bundle = path.join(distDir, 'sora-monitor.mjs');
  try {
    const builtAt = statSync(bundle).mtimeMs;
    const inputs = JSON.parse(readFileSync(path.join(distDir, 'inputs.json'), 'utf8'));
    if (!Array.isArray(inputs) || inputs.length === 0) return null;
    for (const input of inputs) {
      if (statSync(path.resolve(distDir, input)).mtimeMs > builtAt) return null;
    }
    return bundle;
  } catch {
    // Not built, half built, or an input gone: the sources are the truth.
    return null;
  }
}
