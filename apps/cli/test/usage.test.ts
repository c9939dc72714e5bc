import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealServer, type RealServer } from '../../../packages/core/test/client/real-server';
import { freshHome, parseJson, runCli } from './run-cli';

/* `sora-monitor usage` against a real server: the numbers at the top of the usage page, after real generations. */

let server: RealServer;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startRealServer({ DAILY_SPEND_CAP_USD: '20' });
  env = { ...freshHome(), SORA_MONITOR_URL: server.url, SORA_MONITOR_TOKEN: server.token };
});
afterAll(() => server?.stop());

interface Summary {
  window: { timeZone: string; days: number; monthStart: string };
  today: { spentUsd: number; capUsd: number | null; remainingUsd: number | null };
  monthSpentUsd: number;
  rangeSpentUsd: number;
  successRate: number | null;
  medianReadyMs: number | null;
}

describe('sora-monitor usage', () => {
  it('says what will appear before anything was generated', async () => {
    const run = await runCli(['usage'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Today:            $0.00 of the $20.00 daily limit, $20.00 left (UTC day)');
    expect(run.stdout).toContain('Success rate:     nothing finished yet');
    expect(run.stdout).toContain('Time to ready:    nothing completed yet');
  });

  it('prints spend, success rate and median time to ready after a completed and a failed generation', async () => {
    const done = await runCli(['new', 'A heron at dawn', '--seconds', '4', '--watch', '--json'], { env, timeoutMs: 60_000 });
    expect(done.code, done.stderr).toBe(0);
    const failed = await runCli(['new', 'A heron [sim:fail=moderation_blocked]', '--seconds', '4', '--watch', '--json'], { env, timeoutMs: 60_000 });
    expect(failed.code).toBe(1);

    const summary = parseJson<Summary>(await runCli(['usage', '--json', '--days', '7', '--time-zone', 'Asia/Kolkata'], { env }));
    expect(summary.window).toMatchObject({ timeZone: 'Asia/Kolkata', days: 7 });
    // sora-2 at 720x1280 is $0.10 a second; the blocked one failed before rendering and costs nothing.
    expect(summary.today).toEqual({ spentUsd: 0.4, capUsd: 20, remainingUsd: 19.6 });
    expect(summary).toMatchObject({ monthSpentUsd: 0.4, rangeSpentUsd: 0.4, successRate: 0.5 });
    expect(summary.medianReadyMs).toBeGreaterThan(0);

    const text = await runCli(['usage', '--time-zone', 'Asia/Kolkata'], { env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Today:            $0.40 of the $20.00 daily limit, $19.60 left (UTC day)');
    expect(text.stdout).toContain(`This month:       $0.40 (since ${summary.window.monthStart}, Asia/Kolkata)`);
    expect(text.stdout).toContain('Last 30 days:     $0.40');
    expect(text.stdout).toContain('Success rate:     50%');
    expect(text.stdout).toMatch(/Time to ready: {4}\d+ s \(median\)/);
  });

  it('refuses a range it does not offer and a time zone that is not one, naming them', async () => {
    const days = await runCli(['usage', '--days', '14'], { env });
    expect(days.code).toBe(2);
    expect(days.stderr).toContain('one of 7, 30, 90');
    const zone = await runCli(['usage', '--time-zone', 'Mars/Olympus'], { env });
    expect(zone.code).toBe(2);
    expect(zone.stderr).toContain('timeZone must be an IANA time zone name');
  });
});
