import { mkdtempSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configPath, readConfig, resolveConnection, writeConfig } from '../src/config';

const home = () => mkdtempSync(path.join(tmpdir(), 'sora-cli-config-'));

describe('config', () => {
  it('lives in $XDG_CONFIG_HOME, else ~/.config (a relative XDG_CONFIG_HOME is ignored)', () => {
    expect(configPath({ XDG_CONFIG_HOME: '/x/conf', HOME: '/home/ada' })).toBe(
      '/x/conf/sora-monitor/config.json',
    );
    expect(configPath({ HOME: '/home/ada' })).toBe('/home/ada/.config/sora-monitor/config.json');
    expect(configPath({ XDG_CONFIG_HOME: 'relative', HOME: '/home/ada' })).toBe(
      '/home/ada/.config/sora-monitor/config.json',
    );
  });

  it('is written for the user only, replacing the old file whole', async () => {
    const env = { HOME: home() };
    await writeConfig(env, { url: 'http://a', token: 'one' });
    const file = await writeConfig(env, { url: 'http://b', token: 'two' });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ url: 'http://b', token: 'two' });
    expect(await readConfig(env)).toEqual({ url: 'http://b', token: 'two' });
  });

  it('reports a damaged file clearly, and a missing one as not signed in', async () => {
    const env = { HOME: home() };
    expect(await readConfig(env)).toBeNull();
    await writeConfig(env, { url: 'http://a', token: 'one' });
    await writeFile(configPath(env), '{ nope');
    await expect(readConfig(env)).rejects.toThrow(/is damaged. Run `sora-monitor login` again/);
  });

  it('SORA_MONITOR_URL and SORA_MONITOR_TOKEN override the stored values', () => {
    const stored = { url: 'http://stored', token: 'stored-token' };
    expect(resolveConnection({}, stored)).toEqual(stored);
    expect(
      resolveConnection({ SORA_MONITOR_URL: 'http://env', SORA_MONITOR_TOKEN: 'env-token' }, stored),
    ).toEqual({ url: 'http://env', token: 'env-token' });
    expect(resolveConnection({}, null)).toEqual({ url: 'http://localhost:3000', token: null });
  });
});
