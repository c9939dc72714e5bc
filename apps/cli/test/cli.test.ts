import { readdir, readFile, stat } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closedPortUrl,
  startRealServer,
  type RealServer,
} from '../../../packages/core/test/client/real-server';
import { freshHome, parseJson, runCli, runCliProcess } from './run-cli';

const simulatorVideo = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../packages/simulator/assets/videos/720x1280-4s.mp4',
);
const TOKEN_MESSAGE = 'The server rejected the token. Run `sora-monitor login` with a valid API token.';

let server: RealServer;
/** A signed-in environment through the documented overrides. */
let signedIn: Record<string, string>;

beforeAll(async () => {
  server = await startRealServer();
  signedIn = { ...freshHome(), SORA_MONITOR_URL: server.url, SORA_MONITOR_TOKEN: server.token };
});
afterAll(() => server?.stop());

async function createVideo(prompt: string): Promise<string> {
  const created = await runCli(['new', prompt, '--seconds', '4', '--json'], { env: signedIn });
  const video = parseJson<{ id: string; generation: { status: string } }>(created);
  if (created.code !== 0 || video.generation.status !== 'queued')
    throw new Error(`new failed: ${created.stderr}`);
  return video.id;
}

// Sequential on purpose: a run is a whole command against one server, and running them side by side only makes them
// compete for the CPU.
describe('the sora-monitor CLI against a real server', () => {
  // The bin itself, as a shell runs it (the other tests run the same program in this process, run-cli.ts).
  it('login checks the token with the server and stores it for the user only', async () => {
    const env = freshHome();
    const wrong = await runCliProcess(['login', '--url', server.url], { env, input: 'sora_wrong\n' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain(TOKEN_MESSAGE);
    await expect(stat(path.join(env.XDG_CONFIG_HOME!, 'sora-monitor/config.json'))).rejects.toThrow();

    // The token on stdin keeps it out of the shell history.
    const login = await runCliProcess(['login', '--url', `${server.url}/`], { env, input: `${server.token}\n` });
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`Signed in to ${server.url} as Ada Lovelace <${server.email}>.`);
    const file = path.join(env.XDG_CONFIG_HOME!, 'sora-monitor/config.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ url: server.url, token: server.token });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);

    // Later commands use the stored config; the environment overrides it.
    const list = await runCliProcess(['ls', '--json'], { env });
    expect(list.code).toBe(0);
    expect(parseJson(list)).toMatchObject({ items: expect.any(Array) });
    const logout = await runCliProcess(['logout'], { env });
    expect(logout.code).toBe(0);
    const after = await runCliProcess(['ls'], { env });
    expect(after.code).toBe(3);
    expect(after.stderr).toContain('Not signed in. Run `sora-monitor login`');
  });

  it('new -> watch -> download saves exactly the bytes the simulator served', async () => {
    const videoId = await createVideo('A paper boat drifting on a pond');

    const watch = await runCli(['watch', videoId], { env: signedIn });
    expect(watch.code, watch.stderr).toBe(0);
    expect(watch.stdout).toContain('Completed: "A paper boat drifting on a pond" is ready');
    expect(watch.stderr).toMatch(/100% Ready/);

    const dir = mkdtempSync(path.join(tmpdir(), 'sora-cli-download-'));
    const target = path.join(dir, 'boat.mp4');
    const download = await runCli(['download', videoId, '-o', target, '--json'], { env: signedIn });
    expect(download.code, download.stderr).toBe(0);
    const saved = await readFile(target);
    expect(saved.equals(await readFile(simulatorVideo))).toBe(true);
    expect(parseJson(download)).toMatchObject({
      videoId,
      file: target,
      bytes: saved.length,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(await readdir(dir)).toEqual(['boat.mp4']); // the temporary file was renamed, nothing left behind

    const again = await runCli(['download', videoId, '-o', target], { env: signedIn });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists. Pass --force');

    const status = await runCli(['status', videoId, '--json'], { env: signedIn });
    expect(parseJson(status)).toMatchObject({
      videoId,
      status: 'completed',
      progress: 100,
      step: 'Ready',
      remainingMs: null,
    });
    const reset = await runCli(['reset', videoId], { env: signedIn });
    expect(reset.code).toBe(1);
    expect(reset.stderr).toContain('Cannot reset completed generation');
  });

  it('watch exits 1 with the error and its advice when the generation fails', async () => {
    const videoId = await createVideo('A lighthouse at dusk [sim:fail=moderation_blocked]');

    const watch = await runCli(['watch', videoId], { env: signedIn });
    expect(watch.code).toBe(1);
    expect(watch.stdout).toContain('Failed: Your request was blocked by our moderation system.');
    expect(watch.stdout).toContain('What to do: Rephrase the prompt');
    expect(watch.stdout).toContain(`Retry with a new prompt: sora-monitor retry ${videoId} --prompt "…"`);

    const json = await runCli(['watch', videoId, '--json'], { env: signedIn });
    expect(json.code).toBe(1);
    expect(parseJson(json)).toMatchObject({
      videoId,
      status: 'failed',
      errorCode: 'moderation_blocked',
      failure: { kind: 'moderation' },
    });

    const download = await runCli(['download', videoId], { env: signedIn });
    expect(download.code).toBe(1);
    expect(download.stderr).toContain(`Video ${videoId} has no finished video: its generation failed`);

    const reset = await runCli(['reset', videoId, '--json'], { env: signedIn });
    expect(parseJson(reset)).toEqual({
      videoId,
      success: true,
      message: 'Sora generation reset successfully. You can now retry.',
    });
    const retry = await runCli(['retry', videoId, '--json'], { env: signedIn });
    expect(retry.code).toBe(0);
    expect(parseJson(retry)).toMatchObject({ videoId, status: 'queued' });
  });

  it('a wrong token gets the clear message and exit code 3', async () => {
    const env = { ...signedIn, SORA_MONITOR_TOKEN: 'sora_not-a-real-token' };
    const [ls, watch] = await Promise.all([
      runCli(['ls'], { env }),
      runCli(['watch', crypto.randomUUID(), '--json'], { env }),
    ]);
    expect(ls.code).toBe(3);
    expect(ls.stderr.trim()).toBe(TOKEN_MESSAGE);
    expect(watch.code).toBe(3);
    expect(parseJson(watch)).toEqual({
      error: { kind: 'unauthorized', message: TOKEN_MESSAGE, exitCode: 3, code: 'UNAUTHORIZED' },
    });
  });

  it('a server that is down gets "Cannot reach Sora Monitor at …" and exit code 5', async () => {
    const url = await closedPortUrl();
    const env = { ...signedIn, SORA_MONITOR_URL: url };
    const [ls, json] = await Promise.all([
      runCli(['ls'], { env }),
      runCli(['status', crypto.randomUUID(), '--json'], { env }),
    ]);
    expect(ls.code).toBe(5);
    expect(ls.stderr).toContain(`Cannot reach Sora Monitor at ${url}: connect ECONNREFUSED`);
    expect(json.code).toBe(5);
    expect(parseJson(json)).toMatchObject({ error: { kind: 'unreachable', exitCode: 5 } });
  });

  it('an unknown id is "No video with id …" (exit 4); bad input names the field (exit 2)', async () => {
    const unknown = crypto.randomUUID();
    const [status, emptyPrompt, wrongSize, badChoice] = await Promise.all([
      runCli(['status', unknown], { env: signedIn }),
      runCli(['new', '   ', '--json'], { env: signedIn }),
      runCli(['new', 'A fox', '--model', 'sora-2', '--size', '1792x1024'], { env: signedIn }),
      runCli(['new', 'A fox', '--seconds', '5'], { env: signedIn }),
    ]);
    expect(status.code).toBe(4);
    expect(status.stderr.trim()).toBe(`No video with id ${unknown}.`);

    expect(emptyPrompt.code).toBe(2);
    expect(parseJson(emptyPrompt)).toMatchObject({
      error: {
        kind: 'bad_input',
        message: 'Invalid input: prompt must not be empty',
        fieldErrors: { prompt: ['prompt must not be empty'] },
      },
    });
    expect(wrongSize.code).toBe(2);
    expect(wrongSize.stderr).toContain('Invalid input: size 1792x1024 is only available with sora-2-pro');
    expect(badChoice.code).toBe(2);
    // Lengths come from the server's catalog: it names the ones the model offers.
    expect(badChoice.stderr).toContain('Invalid input: seconds must be one of 4, 8, 12 for sora-2');
  });
});
