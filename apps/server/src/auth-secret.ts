import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

/**
 * AUTH_SECRET when configured; otherwise one generated once and kept (owner-only) in DATA_DIR, so the quick start
 * needs no setup and sessions survive restarts. Several instances must share one configured secret.
 */
export async function resolveAuthSecret(configured: string | undefined, dataDir: string, logger: Logger): Promise<string> {
  if (configured) return configured;
  const file = path.resolve(dataDir, 'auth-secret');
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (stored.length >= 32) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  logger.warn({ file }, 'AUTH_SECRET is not set: generated one in %s. Set AUTH_SECRET when running several instances.', file);
  return secret;
}
