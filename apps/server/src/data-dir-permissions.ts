import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

/** Owner-only (0700 directories, 0600 files): the data directory holds the database (sessions, password hashes in its WAL), videos and the secret. */
export const OWNER_ONLY_UMASK = 0o077;
const DIR_MODE = 0o700;

/**
 * Creates DATA_DIR owner-only, and takes away group and other permissions from everything already in it (an older
 * version, a copy, or a umask of 022 left files world-readable). Symbolic links are left alone. Logs what it changed.
 */
export async function secureDataDir(dataDir: string, logger: Pick<Logger, 'warn' | 'debug'>, level: 'warn' | 'debug' = 'warn'): Promise<number> {
  const root = path.resolve(dataDir);
  await mkdir(root, { recursive: true, mode: DIR_MODE });
  let repaired = 0;
  const visit = async (entry: string): Promise<void> => {
    const stats = await lstat(entry);
    if (stats.isSymbolicLink()) return;
    // Group and other lose everything; the owner keeps what it had (a directory always rwx, so it stays usable).
    if ((stats.mode & 0o077) !== 0) {
      await chmod(entry, (stats.mode & 0o700) | (stats.isDirectory() ? DIR_MODE : 0));
      repaired++;
    }
    if (stats.isDirectory()) for (const name of await readdir(entry)) await visit(path.join(entry, name));
  };
  await visit(root);
  if (repaired > 0) {
    logger[level]({ dataDir: root, repaired }, 'Made %d files and directories in DATA_DIR owner-only (they were readable or writable by others)', repaired);
  }
  return repaired;
}
