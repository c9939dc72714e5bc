import type { RouterOutputs } from '@sora-monitor/core/client';
import { formatDuration, USAGE_RANGE_DAYS, type UsageRangeDays } from '@sora-monitor/core/domain';
import { InvalidArgumentError, type Command } from 'commander';
import { result, withClient, type Cli } from '../context';

type UsageSummary = RouterOutputs['usage']['summary'];

interface UsageOptions {
  days: UsageRangeDays;
  timeZone: string;
}

function parseDays(value: string): UsageRangeDays {
  const days = Number(value);
  if (!USAGE_RANGE_DAYS.includes(days as UsageRangeDays)) throw new InvalidArgumentError(`one of ${USAGE_RANGE_DAYS.join(', ')}`);
  return days as UsageRangeDays;
}

export function registerUsage(program: Command, cliFor: (command: Command) => Cli): void {
  program
    .command('usage')
    .description("Your spending and results: today's spend and the daily limit, this month, success rate, time to ready")
    .option('--days <n>', `the range for success rate and time to ready (${USAGE_RANGE_DAYS.join(', ')})`, parseDays, 30)
    // The computer's own zone, as the web page uses the browser's: "today" and "this month" start at local midnight.
    .option('--time-zone <name>', 'IANA time zone for days and months', Intl.DateTimeFormat().resolvedOptions().timeZone)
    .action(async (options: UsageOptions, command: Command) => {
      const cli = cliFor(command);
      await withClient(cli, undefined, async ({ client }) => {
        const summary = await client.usage.summary.query({ days: options.days, timeZone: options.timeZone });
        result(cli, summary, usageLines(summary));
      });
    });
}

const usd = (amount: number) => `$${amount.toFixed(2)}`;

function usageLines({ window, today, monthSpentUsd, rangeSpentUsd, successRate, medianReadyMs }: UsageSummary): string[] {
  const limit = today.capUsd === null ? 'no daily limit' : `of the ${usd(today.capUsd)} daily limit, ${usd(today.remainingUsd ?? 0)} left (UTC day)`;
  const range = `Last ${window.days} days`;
  return [
    `Today:            ${usd(today.spentUsd)} ${limit}`,
    `This month:       ${usd(monthSpentUsd)} (since ${window.monthStart}, ${window.timeZone})`,
    `${range}:`.padEnd(18) + usd(rangeSpentUsd),
    `Success rate:     ${successRate === null ? 'nothing finished yet' : `${Math.round(successRate * 100)}%`}`,
    `Time to ready:    ${medianReadyMs === null ? 'nothing completed yet' : `${formatDuration(medianReadyMs)} (median)`}`,
  ];
}
