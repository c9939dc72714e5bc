import { listAttemptCountsByDay, listAttemptsToday, listReadyDurations, usageWindow, type Database } from '@sora-monitor/db';
import { AppError, spendCapPricing, spendToday, summarizeUsage, type UsageRangeDays } from '../domain';
import type { GenerationSettings } from '../generations';

/** PostgreSQL's invalid_parameter_value: here, a time zone its own tz database does not know. */
function isUnknownTimeZone(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  return (error as { code?: unknown })?.code === '22023' || cause?.code === '22023';
}

/**
 * One user's usage over `days` days ending today in `timeZone`, by the database clock: three grouped reads over
 * indexed columns, summed in the pure domain with the same pricing as the daily cap.
 */
export async function usageReport(
  db: Database,
  settings: Pick<GenerationSettings, 'dailySpendCapUsd' | 'catalog' | 'unknownPriceUsdPerSecond'>,
  args: { userId: string; days: UsageRangeDays; timeZone: string },
) {
  const window = await usageWindow(db, args.timeZone, args.days).catch((error: unknown) => {
    if (!isUnknownTimeZone(error)) throw error;
    throw new AppError('BAD_REQUEST', `timeZone "${args.timeZone}" is not a time zone this server's database knows`, { field: 'timeZone' });
  });
  const pricing = spendCapPricing(settings.catalog, settings.unknownPriceUsdPerSecond);
  const [groups, durations, attemptsToday] = await Promise.all([
    listAttemptCountsByDay(db, { userId: args.userId, since: window.since, timeZone: args.timeZone }),
    listReadyDurations(db, { userId: args.userId, since: window.rangeStart }),
    listAttemptsToday(db, args.userId),
  ]);
  const totals = summarizeUsage(groups, window, pricing);
  const overall = durations.find((row) => row.model === null);
  const windowView = { timeZone: args.timeZone, days: args.days, firstDay: window.firstDay, today: window.today, monthStart: window.monthStart };
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
      durations: durations.flatMap((row) => (row.model === null || row.size === null ? [] : [{ ...row, model: row.model, size: row.size }])),
      failureReasons: totals.failureReasons,
    },
  };
}
