import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDuration } from '../../lib/format';
import type { UsageCharts } from './types';
import { ChartSection, DataTable } from './ChartSection';
import { seriesColor } from './palette';

/** Time from request to ready, p50 and p95, per model and size. */
export function DurationsChart({ charts }: { charts: UsageCharts }) {
  const data = charts.durations.map((row) => ({ name: `${row.model} · ${row.size}`, p50: row.p50Ms / 1000, p95: row.p95Ms / 1000, row }));
  return (
    <ChartSection
      testId="durations-chart"
      title="Time from request to ready"
      summary={`Median and 95th percentile time to ready for ${data.length} model and size combinations.`}
      empty={data.length === 0 ? 'No completed videos in this range. How long each model and size takes from request to ready (median and slowest 5%) will appear here.' : null}
      chart={
        <ResponsiveContainer width="100%" height={Math.max(160, 60 + data.length * 56)}>
          <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" tickFormatter={(value: number) => formatDuration(value * 1000)} />
            <YAxis type="category" dataKey="name" width={170} />
            <Tooltip formatter={(value) => formatDuration(Number(value) * 1000)} />
            <Legend />
            <Bar dataKey="p50" name="Median (p50)" fill={seriesColor(0)} isAnimationActive={false} />
            <Bar dataKey="p95" name="p95" fill={seriesColor(1)} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <DataTable
          caption="Time from request to ready by model and size"
          columns={['Model and size', 'Median (p50)', 'p95', 'Completed']}
          rows={data.map(({ name, row }) => [name, formatDuration(row.p50Ms), formatDuration(row.p95Ms), row.count])}
        />
      }
    />
  );
}
