import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { UsageCharts } from './types';
import { ChartSection, DataTable } from './ChartSection';
import { dayLabel, OUTCOME_COLORS, seriesColor } from './palette';

/** Generations per day by outcome: completed, failed (one series per kind of failure), reset, still running. */
export function OutcomesChart({ charts }: { charts: UsageCharts }) {
  const { outcomes, failureReasons } = charts;
  // Every kind that failed in the range is among the ranked reasons, with the title the video page uses for it.
  const failedSeries = failureReasons.map((reason) => ({ key: `failed.${reason.kind}`, name: `Failed: ${reason.title}`, kind: reason.kind }));
  const series = [
    { key: 'completed', name: 'Completed', color: OUTCOME_COLORS.completed },
    ...failedSeries.map((entry, index) => ({ key: entry.key, name: entry.name, color: seriesColor(index + 1) })),
    { key: 'reset', name: 'Reset', color: OUTCOME_COLORS.reset },
    { key: 'active', name: 'Still running', color: OUTCOME_COLORS.active },
  ];
  const valueOf = (day: UsageCharts['outcomes'][number], key: string): number =>
    key.startsWith('failed.') ? (day.failed[key.slice('failed.'.length)] ?? 0) : Number(day[key as 'completed' | 'reset' | 'active']);
  const data = outcomes.map((day) => ({ day: dayLabel(day.day), ...Object.fromEntries(series.map(({ key }) => [key, valueOf(day, key)])) }));
  const total = (key: string) => outcomes.reduce((sum, day) => sum + valueOf(day, key), 0);
  const started = series.reduce((sum, { key }) => sum + total(key), 0);
  const failed = failedSeries.reduce((sum, { key }) => sum + total(key), 0);
  return (
    <ChartSection
      testId="outcomes-chart"
      title="Generations per day"
      summary={`${started} generations over ${outcomes.length} days: ${total('completed')} completed, ${failed} failed, ${total('reset')} reset, ${total('active')} still running.`}
      empty={started === 0 ? 'No generations in this range. Each day’s generations will appear here by how they ended: completed, failed (by kind) or reset.' : null}
      chart={
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={data} margin={{ top: 16, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" minTickGap={12} />
            <YAxis allowDecimals={false} width={40} />
            <Tooltip />
            <Legend />
            {series.map(({ key, name, color }) => (
              <Bar key={key} dataKey={key} name={name} stackId="outcomes" fill={color} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <DataTable
          caption="Generations per day by outcome"
          columns={['Day', ...series.map(({ name }) => name)]}
          rows={outcomes.map((day) => [day.day, ...series.map(({ key }) => valueOf(day, key))])}
        />
      }
    />
  );
}
