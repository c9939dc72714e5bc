import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatUsd } from '../../lib/format';
import type { UsageCharts } from './types';
import { ChartSection, DataTable } from './ChartSection';
import { dayLabel, seriesColor } from './palette';

/** Spend per day, stacked by model, with the daily limit as a line. */
export function SpendChart({ charts }: { charts: UsageCharts }) {
  const { spend, models, capUsd } = charts;
  const data = spend.map((day) => ({ day: dayLabel(day.day), ...day.byModel }));
  const total = spend.reduce((sum, day) => sum + day.totalUsd, 0);
  const peak = spend.reduce((max, day) => Math.max(max, day.totalUsd), 0);
  const cap = capUsd === null ? 'no daily limit' : `a daily limit of ${formatUsd(capUsd)}`;
  return (
    <ChartSection
      testId="spend-chart"
      title="Spend per day"
      summary={`Spend per day over ${spend.length} days, stacked by model: ${formatUsd(total)} in all, at most ${formatUsd(peak)} in a day, against ${cap}.`}
      empty={models.length === 0 ? 'Nothing spent in this range. Each day’s spending will appear here, stacked by model, with your daily limit as a line.' : null}
      chart={
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={data} margin={{ top: 16, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" minTickGap={12} />
            <YAxis tickFormatter={(value: number) => `$${value}`} width={56} domain={[0, (max: number) => Math.max(max, capUsd ?? 0)]} />
            <Tooltip formatter={(value) => formatUsd(Number(value))} />
            <Legend />
            {models.map((model, index) => (
              <Bar key={model} dataKey={model} name={model} stackId="spend" fill={seriesColor(index)} isAnimationActive={false} />
            ))}
            {capUsd !== null ? <ReferenceLine y={capUsd} stroke="#b42323" strokeDasharray="6 4" label={{ value: 'Daily limit', position: 'insideTopRight' }} /> : null}
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <DataTable
          caption="Spend per day by model"
          columns={['Day', ...models, 'Total']}
          rows={spend.map((day) => [day.day, ...models.map((model) => formatUsd(day.byModel[model] ?? 0)), formatUsd(day.totalUsd)])}
        />
      }
    />
  );
}
