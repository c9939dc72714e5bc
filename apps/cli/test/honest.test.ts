import { lstat, mkdtemp, readdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealServer, type RealServer } from '../../../packages/core/test/client/real-server';
import { freshHome, parseJson, runCli } from './run-cli';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/sora-monitor.js');

let server: RealServer;
let signedIn: Record<string, string>;

beforeAll(async () => {
  // Automatic retries a second apart, so following one through takes seconds.
  server = await startRealServer({ RETRY_BASE_MS: '1000' });
  signedIn = { ...freshHome(), SORA_MONITOR_URL: server.url, SORA_MONITOR_TOKEN: server.token };
});
afterAll(() => server?.stop());

async function createVideo(prompt: string): Promise<string> {
  const created = await runCli(['new', prompt, '--seconds', '4', '--json'], { env: signedIn });
  if (created.code !== 0) throw new Error(`new failed: ${created.stderr}`);
  return parseJson<{ id: string }>(created).id;
}

describe('the CLI tells the truth about retries, failures and cost', () => {
  it('watch follows a generation through its automatic retry and exits 0 when attempt 2 completes', async () => {
    // Six seconds a run, so the failure (60 % in) comes after `watch` has started even on a loaded machine: the
    // failure and the retry a second later are what it must show, not only the attempt after them.
    const videoId = await createVideo('A lighthouse in fog [sim:fail=internal_error] [sim:faults-for=1] [sim:duration=6000]');
    const watch = await runCli(['watch', videoId], { env: signedIn, timeoutMs: 60_000 });
    expect(watch.stderr).toMatch(/Failed while \w+ · Retrying automatically (in \d+ s|now)/);
    expect(watch.code).toBe(0);
    expect(watch.stdout).toContain('is ready');
    expect(watch.stdout).not.toContain('Retry with');

    // Saved under a clean slug of the title plus the id by default.
    const dir = await mkdtemp(path.join(tmpdir(), 'dl-'));
    const download = await runCli(['download', videoId], { env: signedIn, cwd: dir });
    expect(download.code).toBe(0);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^[a-z0-9]+(-[a-z0-9]+)*-${videoId}\\.mp4$`));
  }, 90_000);

  it('new --watch keeps following through the retry too', async () => {
    const run = await runCli(['new', 'A kite [sim:fail=internal_error] [sim:faults-for=1]', '--seconds', '4', '--watch', '--json'], {
      env: signedIn,
      timeoutMs: 60_000,
    });
    expect(run.code).toBe(0);
    expect(parseJson(run)).toMatchObject({ status: 'completed' });
  }, 90_000);

  it('status and download on a failed video say it failed, where, and how to retry', async () => {
    const videoId = await createVideo('A crowded street [sim:fail=moderation_blocked]');
    const watch = await runCli(['watch', videoId], { env: signedIn, timeoutMs: 30_000 });
    expect(watch.code).toBe(1);

    const status = await runCli(['status', videoId], { env: signedIn });
    expect(status.stdout).toMatch(/Status:\s+failed while generating, at \d+%/);
    expect(status.stdout).not.toMatch(/\(Generating\)/);

    const download = await runCli(['download', videoId], { env: signedIn, cwd: await mkdtemp(path.join(tmpdir(), 'dl-')) });
    expect(download.code).toBe(1);
    expect(download.stderr).toContain(`Video ${videoId} has no finished video: its generation failed`);
    expect(download.stderr).toContain(`Retry with: sora-monitor retry ${videoId}`);
    expect(download.stderr).not.toContain('watch');
  }, 60_000);

  it('after a moderation block, retry --prompt starts the new attempt with a rephrased prompt (an empty one is refused)', async () => {
    const videoId = await createVideo('A crowded square at night [sim:fail=moderation_blocked]');
    const watch = await runCli(['watch', videoId], { env: signedIn, timeoutMs: 30_000 });
    expect(watch.code).toBe(1);
    expect(watch.stdout).toContain(`Retry with a new prompt: sora-monitor retry ${videoId} --prompt "…"`);

    const empty = await runCli(['retry', videoId, '--prompt', '', '--json'], { env: signedIn });
    expect(empty.code).toBe(2);
    expect(parseJson(empty)).toMatchObject({ error: { message: 'Invalid input: prompt must not be empty' } });

    const retry = await runCli(['retry', videoId, '--prompt', 'A quiet square at dawn', '--watch', '--json'], { env: signedIn, timeoutMs: 60_000 });
    expect(retry.code).toBe(0);
    expect(parseJson(retry)).toMatchObject({ videoId, status: 'completed' });
    const answer = await fetch(`${server.url}/trpc/videos.get?input=${encodeURIComponent(JSON.stringify({ videoId }))}`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    const video = ((await answer.json()) as { result: { data: { prompt: string } } }).result.data;
    expect(video.prompt).toBe('A quiet square at dawn');
  }, 90_000);

  it('new shows the cost before it starts anything', async () => {
    const run = await runCli(['new', 'A paper boat', '--seconds', '8'], { env: signedIn });
    expect(run.code).toBe(0);
    const costLine = run.stderr.split('\n')[0];
    expect(costLine).toBe('Cost: $0.80 (sora-2, 720x1280, 8 s, list price)');
    expect(run.stdout).toContain('Created');
  });

  it('runs as a linked bin from anywhere on PATH (what `pnpm link --global` makes)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sora-bin-'));
    await symlink(bin, path.join(dir, 'sora-monitor'));
    expect((await lstat(path.join(dir, 'sora-monitor'))).isSymbolicLink()).toBe(true);
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync('sora-monitor', ['--version'], {
      cwd: tmpdir(),
      env: { PATH: `${dir}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
