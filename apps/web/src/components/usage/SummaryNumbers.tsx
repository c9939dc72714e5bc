import { formatDuration, formatUsd } from '../../lib/format';
import type { UsageSummary } from './types';

/** The numbers at the top: today against the limit, this month, success rate, median time to ready. */
export function SummaryNumbers({ summary }: { summary: UsageSummary }) {
  const { today, window } = summary;
  const items = [
    {
      label: 'Spent today',
      value: formatUsd(today.spentUsd),
      note: today.capUsd === null ? 'No daily limit' : `of ${formatUsd(today.capUsd)} daily limit (UTC day)`,
    },
    { label: 'This month', value: formatUsd(summary.monthSpentUsd), note: `since ${window.monthStart}` },
    {
      label: 'Success rate',
      value: summary.successRate === null ? '—' : `${Math.round(summary.successRate * 100)}%`,
      note: summary.successRate === null ? 'nothing finished in this range' : `last ${window.days} days, resets left out`,
    },
    {
      label: 'Median time to ready',
      value: summary.medianReadyMs === null ? '—' : formatDuration(summary.medianReadyMs),
      note: summary.medianReadyMs === null ? 'nothing completed in this range' : `last ${window.days} days`,
    },
  ];
  return (
    <dl className="usage-numbers" data-testid="usage-numbers">
      {items.map((item) => (
        <div key={item.label} className="usage-number">
          <dt>{item.label}</dt>
          <dd>
            <span className="usage-value">{item.value}</span>
            <span className="muted small">{item.note}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
