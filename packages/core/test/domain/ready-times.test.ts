import { describe, expect, it } from 'vitest';
import { bucketPercentile, summarizeReadyTimes, type ReadyTimeBucket } from '../../src/domain';

/** The bucket of a time, as the database's usage_ready_bucket() computes it (migration 0011). */
const bucketOf = (ms: number) => Math.floor(Math.log(Math.max(ms, 1000) / 1000) / Math.log(1.05));

function bucketsOf(model: string, size: string, times: number[]): ReadyTimeBucket[] {
  const byBucket = new Map<number, ReadyTimeBucket>();
  for (const ms of times) {
    const bucket = bucketOf(ms);
    const row = byBucket.get(bucket) ?? { model, size, bucket, count: 0, sumMs: 0 };
    row.count += 1;
    row.sumMs += ms;
    byBucket.set(bucket, row);
  }
  return [...byBucket.values()];
}

/** percentile_cont over the raw times: what the usage page showed before the rollups. */
function exactPercentile(times: number[], fraction: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const below = Math.floor(position);
  return sorted[below]! + (position - below) * (sorted[Math.ceil(position)]! - sorted[below]!);
}

describe('ready-time percentiles from the rollup histogram', () => {
  it('equals percentile_cont when each bucket holds one distinct time', () => {
    const times = [100_000, 200_000, 400_000];
    const merged = bucketsOf('sora-2', '720x1280', times).sort((a, b) => a.bucket - b.bucket);
    expect(bucketPercentile(merged, 0.5)).toBe(200_000);
    expect(bucketPercentile(merged, 0.95)).toBe(exactPercentile(times, 0.95));
  });

  it('stays within a bucket width (5 %) of percentile_cont for many close times', () => {
    const times = Array.from({ length: 5_000 }, (_, i) => 60_000 + ((i * 7_919) % 240_000));
    const merged = bucketsOf('m', 's', times).sort((a, b) => a.bucket - b.bucket);
    for (const fraction of [0.5, 0.95]) {
      const exact = exactPercentile(times, fraction);
      expect(Math.abs(bucketPercentile(merged, fraction) - exact) / exact).toBeLessThan(0.05);
    }
  });

  it('gives one row per model and size, sorted, then one over everything; nothing for no times', () => {
    const rows = [...bucketsOf('sora-2-pro', '720x1280', [300_000]), ...bucketsOf('sora-2', '720x1280', [100_000, 200_000])];
    expect(summarizeReadyTimes(rows)).toEqual([
      { model: 'sora-2', size: '720x1280', count: 2, p50Ms: 150_000, p95Ms: 195_000 },
      { model: 'sora-2-pro', size: '720x1280', count: 1, p50Ms: 300_000, p95Ms: 300_000 },
      { model: null, size: null, count: 3, p50Ms: 200_000, p95Ms: 290_000 },
    ]);
    expect(summarizeReadyTimes([])).toEqual([]);
  });
});
