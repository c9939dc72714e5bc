import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, waitForUrl, type ServerProcess } from './server-process';

/*
 * DATA_DIR holds the embedded database (its WAL carries session tokens and password hashes), the videos and the
 * generated AUTH_SECRET. The real server process, started on a data directory that an older version left
 * world-readable, repairs it (and says so); every directory it makes afterwards is owner-only, and so are the files
 * of the new PGlite database once it has opened (PGlite sets 0666 itself, whatever the umask; later ones sit in 0700
 * directories).
 */

let server: ServerProcess | undefined;
afterAll(() => void server?.child.kill('SIGKILL'));

async function modes(root: string): Promise<Array<{ file: string; mode: number; dir: boolean }>> {
  const found: Array<{ file: string; mode: number; dir: boolean }> = [];
  const visit = async (entry: string) => {
    const stats = await lstat(entry);
    if (stats.isSymbolicLink()) return;
    found.push({ file: path.relative(root, entry) || '.', mode: stats.mode & 0o777, dir: stats.isDirectory() });
    if (stats.isDirectory()) for (const name of await readdir(entry)) await visit(path.join(entry, name));
  };
  await visit(root);
  return found;
}

describe('the server started as `pnpm start` starts it', () => {
  it('runs in production, repairs a world-readable data directory at start-up, logs it, and writes everything after owner-only', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sora-data-perms-'));
    chmodSync(dataDir, 0o777);
    mkdirSync(path.join(dataDir, 'blobs', 'videos'), { recursive: true, mode: 0o777 });
    chmodSync(path.join(dataDir, 'blobs'), 0o777);
    chmodSync(path.join(dataDir, 'blobs', 'videos'), 0o777);
    writeFileSync(path.join(dataDir, 'blobs', 'videos', 'old.mp4'), 'old video', { mode: 0o666 });
    chmodSync(path.join(dataDir, 'blobs', 'videos', 'old.mp4'), 0o666);

    // NODE_ENV left unset, as `pnpm start` leaves it: the server runs in production.
    server = spawnServer({ DATA_DIR: dataDir, NODE_ENV: '' });
    const url = await waitForUrl(server, 150_000);
    const signUp = await fetch(`${url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ email: 'perms@example.com', password: 'correct horse battery', name: 'Perms' }),
    });
    expect(signUp.status).toBe(200);
    // Production: the Vite dev server's origin is not trusted (development trusts it).
    const fromVite = await fetch(`${url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
      body: JSON.stringify({ email: 'vite@example.com', password: 'correct horse battery', name: 'Vite' }),
    });
    expect(fromVite.status).toBe(403);

    expect(server.output()).toMatch(/Made \d+ files and directories in DATA_DIR owner-only/);
    const all = await modes(dataDir);
    expect(all.some((entry) => entry.file.startsWith('pglite'))).toBe(true);
    expect(all.some((entry) => entry.file === 'auth-secret')).toBe(true);
    // No directory lets anyone else in, so nothing inside is reachable by another user whatever its own mode.
    const directories = all.filter((entry) => entry.dir);
    expect(all.find((entry) => entry.file === '.')?.mode).toBe(0o700);
    expect(directories.filter((entry) => (entry.mode & 0o077) !== 0)).toEqual([]);
    expect(all.find((entry) => entry.file === 'auth-secret')?.mode).toBe(0o600);
    // What existed once PGlite had opened (its catalog, the migrated tables) was tightened too.
    expect(all.find((entry) => entry.file === path.join('pglite', 'PG_VERSION'))?.mode).toBe(0o600);
    expect(all.find((entry) => entry.file === path.join('blobs', 'videos', 'old.mp4'))?.mode).toBe(0o600);
  }, 240_000);
});
