import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freshBundle } from '../bin/fresh-bundle.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A dist/ as scripts/build.mjs leaves it: the bundle written after its two inputs. */
function builtDist() {
  const root = mkdtempSync(path.join(tmpdir(), 'sora-cli-bundle-'));
  dirs.push(root);
  const dist = path.join(root, 'dist');
  mkdirSync(path.join(root, 'src'));
  mkdirSync(dist);
  const past = new Date(Date.now() - 60_000);
  for (const name of ['main.ts', 'commands.ts']) {
    writeFileSync(path.join(root, 'src', name), '');
    utimesSync(path.join(root, 'src', name), past, past);
  }
  writeFileSync(path.join(dist, 'sora-monitor.mjs'), '');
  writeFileSync(path.join(dist, 'inputs.json'), JSON.stringify(['../src/main.ts', '../src/commands.ts']));
  return { root, dist, bundle: path.join(dist, 'sora-monitor.mjs') };
}

describe('the CLI bin picks its bundle', () => {
  it('while no file it was made from is newer than it', () => {
    const { dist, bundle } = builtDist();
    expect(freshBundle(dist)).toBe(bundle);
  });

  it('not once a source changed after the build: the sources run instead', () => {
    const { root, dist } = builtDist();
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(root, 'src', 'commands.ts'), later, later);
    expect(freshBundle(dist)).toBeNull();
  });

  it('not when it was never built, its input list is missing or unreadable, or an input is gone', () => {
    expect(freshBundle(path.join(tmpdir(), 'no-such-dist-here'))).toBeNull();

    const missingList = builtDist();
    rmSync(path.join(missingList.dist, 'inputs.json'));
    expect(freshBundle(missingList.dist)).toBeNull();

    const badList = builtDist();
    writeFileSync(path.join(badList.dist, 'inputs.json'), '{"half": ');
    expect(freshBundle(badList.dist)).toBeNull();

    const gone = builtDist();
    rmSync(path.join(gone.root, 'src', 'main.ts'));
    expect(freshBundle(gone.dist)).toBeNull();
  });
});
