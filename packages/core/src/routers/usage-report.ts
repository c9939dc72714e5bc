import {
  ensureUsageTimeZone,
  listAttemptsToday,
  listUsageDays,
  listUsageReadyBuckets,
  usageWindow,
  type Database,
} from '@sora-monitor/db';
import {
  AppError,
  spendCapPricing,
  spendToday,
  summarizeReadyTimes,
  summarizeUsage,
  type UsageRangeDays,
} from '../domain';
import type { GenerationSettings } from '../generations';

/** PostgreSQL's invalid_parameter_value: here, a time zone its own tz database does not know. */
function isUnknownTimeZone(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  return (error as { code?: unknown })?.code === '22023' || cause?.code === '22023';
}

/**
 * One user's usage over `days` days ending today in `timeZone`, by the database clock: reads of the per-day rollups
 * (one row per day and kind of attempt, however many attempts), summed in the pure domain with the same pricing as
 * the daily cap. The first report in a zone fills its rollups once.
 */
export async function usageReport(
  db: Database,
  settings: Pick<GenerationSettings, 'dailySpendCapUsd' | 'catalog' | 'unknownPriceUsdPerSecond'>,
  args: { userId: string; days: UsageRangeDays; timeZone: string },
) {
  const window = await usageWindow(db, args.timeZone, args.days).catch((error: unknown) => {
    if (!isUnknownTimeZone(error)) throw error;
    throw new AppError(
      'BAD_REQUEST',
      `timeZone "${args.timeZone}" is not a time zone this server's database knows`,
      { field: 'timeZone' },
    );
  });
  const pricing = spendCapPricing(settings.catalog, settings.unknownPriceUsdPerSecond);
  await ensureUsageTimeZone(db, args.userId, args.timeZone);
  const rollup = { userId: args.userId, timeZone: args.timeZone };
  const [groups, readyBuckets, attemptsToday] = await Promise.all([
    listUsageDays(db, { ...rollup, sinceDay: window.countsFrom }),
    listUsageReadyBuckets(db, { ...rollup, sinceDay: window.firstDay }),
    listAttemptsToday(db, args.userId),
  ]);
  const durations = summarizeReadyTimes(readyBuckets);
  const totals = summarizeUsage(groups, window, pricing);
  const overall = durations.find((row) => row.model === null);
  const windowView = {
    timeZone: args.timeZone,
    days: args.days,
    firstDay: window.firstDay,
    today: window.today,
    monthStart: window.monthStart,
  };
  return {
    summary: {
      window: windowView,
      today: spendToday(settings.dailySpendCapUsd, attemptsToday, pricing),
      monthSpentUsd: totals.monthSpentUsd,
      rangeSpentUsd: totals.rangeSpentUsd,
      successRate: totals.successRate,
      medianReadyMs: overall?.p50Ms ?? null,
    },
    charts: {
      window: windowView,
      capUsd: settings.dailySpendCapUsd,
      models: totals.models,
      spend: totals.spend,
      outcomes: totals.outcomes,
      durations: durations.flatMap((row) =>
        row.model === null || row.size === null ? [] : [{ ...row, model: row.model, size: row.size }],
      ),
      failureReasons: totals.failureReasons,
    },
  };
}
