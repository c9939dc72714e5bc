import { seedAttemptHistory, type SeedAttempt } from '@sora-monitor/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain';
import { usageReport } from '../../src/routers/usage-report';
import { expectTRPCError, startHarness, type Harness, type TestUser } from './harness';

/*
 * usage.report and usage.summary over seeded history: several days, models and outcomes, read in Asia/Kolkata
 * (UTC+05:30), where a request at 00:15 local time belongs to a different day than in UTC. Prices (the built-in
 * catalog): sora-2 $0.10/s; sora-2-pro $0.30/s at 720x1280, $0.50/s at 1024x1792.
 */

const TZ = 'Asia/Kolkata';
const CAP_USD = 20;

type Row = SeedAttempt & { usd: number };
const at = (daysAgo: number, localTime: `${number}:${number}`) => ({ daysAgo, localTime });
const NOW = { now: true } as const;
const S2 = { model: 'sora-2', size: '720x1280' };
const PRO = { model: 'sora-2-pro', size: '720x1280' };
const PRO_TALL = { model: 'sora-2-pro', size: '1024x1792' };

const HISTORY: Row[] = [
  { requested: NOW, ...S2, seconds: 8, status: 'completed', readySeconds: 100, usd: 0.8 },
  { requested: NOW, ...PRO, seconds: 4, status: 'failed', errorCode: 'moderation_blocked', usd: 0 },
  { requested: NOW, ...S2, seconds: 4, status: 'in_progress', usd: 0.4 },
  { requested: at(1, '00:15'), ...PRO_TALL, seconds: 4, status: 'completed', readySeconds: 300, usd: 2 },
  // A reset job may run on upstream and be billed: it counts, as it does for the cap.
  { requested: at(1, '23:50'), ...S2, seconds: 4, status: 'failed', errorCode: 'reset', usd: 0.4 },
  { requested: at(2, '12:00'), ...S2, seconds: 12, status: 'completed', readySeconds: 200, usd: 1.2 },
  { requested: at(2, '12:30'), ...S2, seconds: 4, status: 'failed', errorCode: 'http_400:invalid_request_error', usd: 0 },
  { requested: at(3, '09:00'), ...S2, seconds: 4, status: 'failed', errorCode: 'stuck_timeout', usd: 0.4 },
  { requested: at(3, '10:00'), ...PRO, seconds: 8, status: 'completed', readySeconds: 400, usd: 2.4 },
  { requested: at(3, '11:00'), ...S2, seconds: 4, status: 'failed', errorCode: 'moderation_blocked', usd: 0 },
  { requested: at(10, '08:00'), ...S2, seconds: 4, status: 'completed', readySeconds: 50, usd: 0.4 },
  { requested: at(40, '08:00'), ...S2, seconds: 4, status: 'completed', readySeconds: 70, usd: 0.4 },
];

let h: Harness;
let ada: TestUser;
let seeded: Array<Row & { requestedAt: Date }>;

const localDay = (date: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(date);
const round2 = (usd: number) => Math.round(usd * 100) / 100;

beforeAll(async () => {
  h = await startHarness({ settings: { dailySpendCapUsd: CAP_USD } });
  ada = await h.signUp('ada');
  const rows = await seedAttemptHistory(h.db.db, { userId: ada.id, timeZone: TZ, attempts: HISTORY });
  seeded = rows.map((row, index) => ({ ...row, usd: HISTORY[index]!.usd }));
});
afterAll(() => h?.close());

describe('usage.report', () => {
  it('stacks spend per local day by model, with the cap, as the daily cap counts it', async () => {
    const { charts, summary } = await ada.caller.usage.report({ days: 7, timeZone: TZ });
    expect(charts.window).toMatchObject({ timeZone: TZ, days: 7, today: localDay(new Date()) });
    expect(charts.spend).toHaveLength(7);
    expect(charts.spend[0]!.day).toBe(charts.window.firstDay);
    expect(charts.capUsd).toBe(CAP_USD);
    const byDaysAgo = (n: number) => charts.spend[6 - n]!;
    expect(byDaysAgo(0)).toMatchObject({ totalUsd: 1.2, byModel: { 'sora-2': 1.2 } });
    expect(byDaysAgo(1)).toMatchObject({ totalUsd: 2.4, byModel: { 'sora-2-pro': 2, 'sora-2': 0.4 } });
    expect(byDaysAgo(2)).toMatchObject({ totalUsd: 1.2, byModel: { 'sora-2': 1.2 } });
    expect(byDaysAgo(3)).toMatchObject({ totalUsd: 2.8, byModel: { 'sora-2-pro': 2.4, 'sora-2': 0.4 } });
    for (const n of [4, 5, 6]) expect(byDaysAgo(n)).toMatchObject({ totalUsd: 0, byModel: {} });
    expect(charts.models).toEqual(['sora-2-pro', 'sora-2']);
    expect(summary.rangeSpentUsd).toBe(7.6);
  });

  it('counts generations per local day by outcome, failures by kind', async () => {
    const { charts } = await ada.caller.usage.report({ days: 7, timeZone: TZ });
    const byDaysAgo = (n: number) => charts.outcomes[6 - n]!;
    expect(byDaysAgo(0)).toMatchObject({ completed: 1, active: 1, reset: 0, failed: { moderation: 1 } });
    expect(byDaysAgo(1)).toMatchObject({ completed: 1, active: 0, reset: 1, failed: {} });
    expect(byDaysAgo(2)).toMatchObject({ completed: 1, reset: 0, failed: { invalid_request: 1 } });
    expect(byDaysAgo(3)).toMatchObject({ completed: 1, reset: 0, failed: { stuck_timeout: 1, moderation: 1 } });
    expect(byDaysAgo(4)).toMatchObject({ completed: 0, active: 0, reset: 0, failed: {} });
  });

  it('gives request → ready p50 and p95 per model and size, and ranks failure reasons', async () => {
    const { charts, summary } = await ada.caller.usage.report({ days: 7, timeZone: TZ });
    expect(charts.durations).toEqual([
      { model: 'sora-2', size: '720x1280', count: 2, p50Ms: 150_000, p95Ms: 195_000 },
      { model: 'sora-2-pro', size: '1024x1792', count: 1, p50Ms: 300_000, p95Ms: 300_000 },
      { model: 'sora-2-pro', size: '720x1280', count: 1, p50Ms: 400_000, p95Ms: 400_000 },
    ]);
    expect(summary.medianReadyMs).toBe(250_000);
    expect(charts.failureReasons).toEqual([
      { kind: 'moderation', title: 'Blocked by the content policy', count: 2, codes: ['moderation_blocked'] },
      { kind: 'invalid_request', title: 'The service rejected the request', count: 1, codes: ['http_400:invalid_request_error'] },
      { kind: 'stuck_timeout', title: expect.any(String), count: 1, codes: ['stuck_timeout'] },
    ]);
  });

  it('widens to 30 and 90 days', async () => {
    const month = await ada.caller.usage.report({ days: 30, timeZone: TZ });
    expect(month.charts.spend).toHaveLength(30);
    expect(month.summary.rangeSpentUsd).toBe(8);
    expect(month.charts.durations[0]).toMatchObject({ model: 'sora-2', size: '720x1280', count: 3, p50Ms: 100_000 });
    const quarter = await ada.caller.usage.report({ days: 90, timeZone: TZ });
    expect(quarter.charts.spend).toHaveLength(90);
    expect(quarter.summary.rangeSpentUsd).toBe(8.4);
    expect(quarter.summary.successRate).toBeCloseTo(6 / 10);
  });
});

describe('usage.summary', () => {
  it("gives today's spend and cap exactly as sora.spendToday, this month's spend, success rate and median time to ready", async () => {
    const summary = await ada.caller.usage.summary({ days: 7, timeZone: TZ });
    expect(summary.today).toEqual(await ada.caller.sora.spendToday());
    expect(summary.today.capUsd).toBe(CAP_USD);
    expect(summary.today.spentUsd).toBeGreaterThanOrEqual(1.2);
    const monthStart = summary.window.monthStart;
    expect(monthStart).toBe(`${localDay(new Date()).slice(0, 8)}01`);
    const expectedMonth = round2(seeded.filter((row) => localDay(row.requestedAt) >= monthStart).reduce((sum, row) => sum + row.usd, 0));
    expect(summary.monthSpentUsd).toBe(expectedMonth);
    expect(summary.successRate).toBe(0.5);
    expect(summary.medianReadyMs).toBe(250_000);
  });

  it('shows another user none of it', async () => {
    const bob = await h.signUp('bob');
    const { summary, charts } = await bob.caller.usage.report({ days: 7, timeZone: TZ });
    expect(summary).toMatchObject({ monthSpentUsd: 0, rangeSpentUsd: 0, successRate: null, medianReadyMs: null });
    expect(summary.today).toEqual({ spentUsd: 0, capUsd: CAP_USD, remainingUsd: CAP_USD });
    expect(charts.spend.every((day) => day.totalUsd === 0)).toBe(true);
    expect(charts.outcomes.every((day) => day.completed + day.reset + day.active === 0)).toBe(true);
    expect(charts).toMatchObject({ durations: [], failureReasons: [], models: [] });
  });

  it('reads a time zone name in any letter case', async () => {
    const lower = await ada.caller.usage.summary({ days: 7, timeZone: 'asia/kolkata' });
    const { window, ...numbers } = await ada.caller.usage.summary({ days: 7, timeZone: TZ });
    expect(lower).toMatchObject({ ...numbers, window: { ...window, timeZone: 'asia/kolkata' } });
  });

  it('refuses an unknown time zone, an offset and an unoffered range, naming the problem', async () => {
    for (const timeZone of ['Mars/Olympus', '+05:30', '']) {
      const { error, shape } = await expectTRPCError(() => ada.caller.usage.summary({ days: 7, timeZone }));
      expect(error.code).toBe('BAD_REQUEST');
      expect((shape.data as { zodError: { fieldErrors: Record<string, string[]> } }).zodError.fieldErrors.timeZone![0]).toContain(
        'timeZone must be an IANA time zone name',
      );
    }
    const { error } = await expectTRPCError(() => ada.caller.usage.summary({ days: 14 as 7, timeZone: TZ }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('days must be one of 7, 30, 90');
  });

  it('turns a zone the database does not know into BAD_REQUEST naming timeZone, should one pass the runtime check', async () => {
    const refused = await usageReport(h.db.db, h.services.generations.settings, { userId: ada.id, days: 7, timeZone: 'Mars/Olympus' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', field: 'timeZone', message: 'timeZone "Mars/Olympus" is not a time zone this server\'s database knows' });
  });
});
