import { waitUntil } from '@sora-monitor/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealServer, type RealServer } from '../../../packages/core/test/client/real-server';
import { freshHome, parseJson, runCli } from './run-cli';

/* `sora-monitor ls --search --sort --model` against a real server, over three videos it made. */

let server: RealServer;
let env: Record<string, string>;
const ids: Record<string, string> = {};

interface Page {
  items: { id: string; title: string; model: string; generation: { cost: number | null } }[];
  nextCursor: string | null;
}

beforeAll(async () => {
  server = await startRealServer();
  env = { ...freshHome(), SORA_MONITOR_URL: server.url, SORA_MONITOR_TOKEN: server.token };
  // Made in this order; the list price makes their costs differ ($0.40, $2.40, $0.80).
  for (const [name, args] of [
    ['heron', ['A grey heron at dawn', '--seconds', '4']],
    ['pro', ['A red fox in snow', '--model', 'sora-2-pro', '--seconds', '8']],
    ['heronLong', ['Herons taking off over a lake', '--seconds', '8']],
  ] as const) {
    const run = await runCli(['new', ...args, '--json'], { env, timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    ids[name] = parseJson<{ id: string }>(run).id;
  }
  // A video's cost is known once its generation completes (`new` returns at the start): sorting by cost before then
  // would see 0 for a video still generating. Wait for all three, as a user would see them.
  const costed = async () => (await listed([])).items.filter((video) => video.generation.cost !== null).length;
  await waitUntil(costed, (count) => count === 3, { timeoutMs: 60_000, intervalMs: 500 });
});
afterAll(() => server?.stop());

const listed = async (args: string[]) => parseJson<Page>(await runCli(['ls', ...args, '--json'], { env }));

describe('sora-monitor ls', () => {
  it('searches, filters by model and sorts by cost', async () => {
    expect((await listed(['--search', 'HERON'])).items.map((v) => v.id)).toEqual([ids.heronLong, ids.heron]);
    expect((await listed(['--model', 'sora-2-pro'])).items.map((v) => v.id)).toEqual([ids.pro]);
    expect((await listed(['--sort', 'cost'])).items.map((v) => v.id)).toEqual([ids.pro, ids.heronLong, ids.heron]);
    expect((await listed(['--sort', 'created', '--order', 'asc'])).items.map((v) => v.id)).toEqual([
      ids.heron,
      ids.pro,
      ids.heronLong,
    ]);
  });

  it('prints a cost column and a "More:" command that continues the same listing', async () => {
    const first = await runCli(['ls', '--sort', 'cost', '--search', 'o', '--limit', '1'], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/COST\s+LENGTH/);
    expect(first.stdout).toContain('$2.40');
    const more = /More: sora-monitor (ls .*)$/m.exec(first.stdout)?.[1];
    expect(more).toMatch(/^ls --search o --sort cost --limit 1 --cursor \S+$/);
    const second = await runCli(more!.split(' '), { env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(ids.heronLong);
    expect(second.stdout).not.toContain(ids.pro);
  });

  it('refuses a sort it does not offer, and says when nothing matches', async () => {
    const bad = await runCli(['ls', '--sort', 'title'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('created, updated, cost, duration');
    const none = await runCli(['ls', '--search', 'walrus'], { env });
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout.trim()).toBe('No videos match.');
  });
});
