import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealServer, type RealServer } from '../../../packages/core/test/client/real-server';
import { freshHome, parseJson, runCli } from './run-cli';

/* A server whose operator named its models (VIDEO_MODELS): the CLI offers exactly those and sends them unchanged. */

let server: RealServer;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startRealServer({ VIDEO_MODELS: 'sora-2-2025-10-06,veo-3', DAILY_SPEND_CAP_USD: '20' });
  env = { ...freshHome(), SORA_MONITOR_URL: server.url, SORA_MONITOR_TOKEN: server.token };
});
afterAll(() => server?.stop());

describe('sora-monitor models and new --model', () => {
  it("models lists the server's catalog, an unknown price as unknown", async () => {
    const text = await runCli(['models'], { env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(
      [
        'sora-2-2025-10-06  [default]',
        '  Fast, good for drafts and social clips.',
        '  sizes:   720x1280, 1280x720',
        '  seconds: 4, 8, 12',
        '  price:   $0.10 per second',
        'veo-3',
        '  sizes:   720x1280, 1280x720',
        '  seconds: 4, 8, 12',
        '  price:   unknown',
        '',
        'An unknown price counts as $0.10 per second toward the daily limit of $20.00.',
        '',
      ].join('\n'),
    );
    const json = parseJson<{ models: Array<{ name: string; centsPerSecond: unknown }> }>(await runCli(['models', '--json'], { env }));
    expect(json.models.map((model) => [model.name, model.centsPerSecond])).toEqual([
      ['sora-2-2025-10-06', { '720x1280': 10, '1280x720': 10 }],
      ['veo-3', null],
    ]);
  });

  it('new --model takes a configured model as is, and refuses another naming the configured ones', async () => {
    const created = await runCli(['new', 'A heron at dawn', '--model', 'veo-3', '--json'], { env });
    expect(created.code, created.stderr).toBe(0);
    expect(parseJson(created)).toMatchObject({ model: 'veo-3', size: '720x1280', seconds: 4 });

    const refused = await runCli(['new', 'A heron at dawn', '--model', 'sora-2'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('model must be one of sora-2-2025-10-06, veo-3 (the models this server offers)');
    const badSeconds = await runCli(['new', 'A heron', '--seconds', 'four'], { env });
    expect(badSeconds.code).toBe(2);
    expect(badSeconds.stderr).toContain('a whole number of seconds');
  });
});
