import { startSimulator, type Simulator } from '@sora-monitor/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUpstreamCheck } from '../src/upstream-check';
import { progressForm, sniff, timestampForm } from '../src/upstream-probe';

/* `pnpm upstream:check` against the simulator, through the server's own configuration and the real SDK. */

let sim: Simulator;
let env: Record<string, string>;

beforeAll(async () => {
  sim = await startSimulator({ generationMs: 300 });
  env = { OPENAI_API_KEY: sim.apiKey, OPENAI_BASE_URL: sim.url, UPSTREAM_PRESET: 'gateway' };
});
afterAll(() => sim?.close());

async function check(argv: string[], extraEnv: Record<string, string> = {}, baseEnv = env) {
  const lines: string[] = [];
  const code = await runUpstreamCheck({ env: { ...baseEnv, ...extraEnv }, argv, out: (line) => lines.push(line), pollMs: 50 });
  return { code, output: lines.join('\n') };
}

describe('pnpm upstream:check', () => {
  it('without --yes says what it would run and what it costs, sends nothing, and exits 1', async () => {
    const { code, output } = await check([]);
    expect(code).toBe(1);
    expect(output).toBe(
      `One 4 s 720x1280 generation with sora-2 at ${sim.url} (UPSTREAM_PRESET=gateway, auth header authorization), costing $0.40 at list price.\n` +
        'Nothing was sent. Run again with --yes to start it.',
    );
    const unknown = await check(['--model', 'my-deployment'], { VIDEO_MODELS: 'my-deployment' });
    expect(unknown.output).toContain('costing an unknown price (this server knows none for this model)');
    expect(sim.requests()).toHaveLength(0);
  });

  it('with --yes runs one generation and reports what the endpoint said, field by field', async () => {
    const { code, output } = await check(['--yes', '--prompt', 'An upstream check']);
    expect(code, output).toBe(0);
    expect(sim.requests().filter((entry) => entry.method === 'POST')).toHaveLength(1);
    expect(output).toMatch(/^status values: queued, in_progress, completed$/m);
    expect(output).toMatch(/^progress: {6}number$/m);
    expect(output).toMatch(/^created_at: {4}unix seconds$/m);
    expect(output).toMatch(/^completed_at: {2}missing, unix seconds$/m);
    expect(output).toMatch(/^model echoed: {2}sora-2$/m);
    expect(output).toMatch(/^list: {10}the job is listed/m);
    expect(output).toMatch(/^content video: 200 video\/mp4, \d+ bytes that look like mp4$/m);
    expect(output).toMatch(/^content thumbnail: 200 image\/webp, \d+ bytes that look like webp$/m);
    expect(output).toMatch(/^content spritesheet: 200 image\/jpeg, \d+ bytes that look like jpeg$/m);
  });

  it('reports a refused create and a failed job, exiting 1', async () => {
    const refused = await check(['--yes', '--model', 'veo-3'], { VIDEO_MODELS: 'veo-3' });
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/^create: +refused: 400 /m);
    const failed = await check(['--yes', '--prompt', 'A check [sim:fail=moderation_blocked]']);
    expect(failed.code).toBe(1);
    expect(failed.output).toMatch(/^final status: {2}failed \(error \{"code":"moderation_blocked"/m);
  });

  it('uses the server configuration and its refusals', async () => {
    expect((await check([], { UPSTREAM_PRESET: 'azure' })).output).toContain('with UPSTREAM_PRESET=azure it must look like');
    expect((await check([], {}, {})).output).toContain('OPENAI_API_KEY is not set: there is no endpoint to check');
    expect((await check(['--seconds', '5'])).output).toBe('seconds must be one of 4, 8, 12 for sora-2');
    expect((await check(['--bogus'])).code).toBe(2);
  });
});

describe('the field classifiers', () => {
  it.each([
    [1_760_000_000, 'unix seconds'],
    [1_760_000_000_000, 'unix milliseconds'],
    ['2026-10-01T12:00:00Z', 'ISO 8601 string'],
    [null, 'missing'],
    ['soon', 'string "soon"'],
  ])('timestamp %j is %s', (value, form) => expect(timestampForm(value)).toBe(form));

  it.each([
    [45, 'number'],
    ['45', 'numeric string'],
    ['45%', 'string with %'],
    [undefined, 'missing'],
  ])('progress %j is %s', (value, form) => expect(progressForm(value)).toBe(form));

  it('knows media by their first bytes, not their header', () => {
    const bytes = (text: string) => new Uint8Array([...text].map((char) => char.charCodeAt(0)));
    expect(sniff(bytes('\0\0\0\x18ftypisom'))).toBe('mp4');
    expect(sniff(bytes('RIFF\0\0\0\0WEBPVP8 '))).toBe('webp');
    expect(sniff(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniff(bytes('\x89PNG\r\n'))).toBe('png');
    expect(sniff(bytes('<html>'))).toBe('unknown');
  });
});
