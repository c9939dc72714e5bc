import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { CliError } from './errors';
import { EXIT } from './exit-codes';

export const DEFAULT_URL = 'http://localhost:3000';

/** What `login` stores: which server, and the API token for it. */
export interface StoredConfig {
  url: string;
  token: string;
}

export type Env = Record<string, string | undefined>;

/** `$XDG_CONFIG_HOME/sora-monitor/config.json`, else `~/.config/sora-monitor/config.json`. */
export function configPath(env: Env): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || homedir(), '.config');
  return path.join(base, 'sora-monitor', 'config.json');
}

export async function readConfig(env: Env): Promise<StoredConfig | null> {
  const file = configPath(env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<StoredConfig>;
    if (typeof parsed.url === 'string' && typeof parsed.token === 'string')
      return { url: parsed.url, token: parsed.token };
  } catch {
    // Reported below.
  }
  throw new CliError(
    `The config file ${file} is damaged. Run \`sora-monitor login\` again.`,
    EXIT.failed,
    'bad_config',
  );
}

/**
 * Stores the token readable by the user only: the directory is 0700 and the file is written as 0600 to a temporary
 * name, then renamed over the old one, so a reader never sees a half-written file and the token is never exposed.
 */
export async function writeConfig(env: Env, config: StoredConfig): Promise<string> {
  const file = configPath(env);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'w' });
    await chmod(temporary, 0o600); // the mode above is masked by the umask; this is not
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return file;
}

export async function removeConfig(env: Env): Promise<boolean> {
  const file = configPath(env);
  const existed = (await readConfig(env).catch(() => true)) !== null;
  await rm(file, { force: true });
  return existed;
}

export interface Connection {
  url: string;
  token: string | null;
}

/** `SORA_MONITOR_URL` / `SORA_MONITOR_TOKEN` override what `login` stored. */
export function resolveConnection(env: Env, stored: StoredConfig | null): Connection {
  return {
    url: nonEmpty(env.SORA_MONITOR_URL) ?? stored?.url ?? DEFAULT_URL,
    token: nonEmpty(env.SORA_MONITOR_TOKEN) ?? stored?.token ?? null,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
