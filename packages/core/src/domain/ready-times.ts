/*
 * Request → ready percentiles from the usage rollups' histogram: each bucket holds a count of times and their exact
 * sum, and buckets merge by adding both, so any range of days and any grouping reads only bucket rows.
 */

/** `count` ready times in one histogram bucket (buckets are ordered by time), summing to `sumMs`. */
export interface ReadyTimeBucket {
  model: string;
  size: string;
  bucket: number;
  count: number;
  sumMs: number;
}

export interface ReadyTimes {
  /** Null in the row over every model and size. */
  model: string | null;
  size: string | null;
  count: number;
  p50Ms: number;
  p95Ms: number;
}

type Merged = Array<{ count: number; sumMs: number }>;

/**
 * PostgreSQL's percentile_cont over the bucketed times, each bucket's times taken at their mean: exact when a
 * bucket holds one distinct time, otherwise within the bucket's width.
 */
export function bucketPercentile(buckets: Merged, fraction: number): number {
  const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
  if (total === 0) return Number.NaN;
  const position = fraction * (total - 1);
  const below = Math.floor(position);
  const lower = valueAt(buckets, below);
  return lower + (position - below) * (valueAt(buckets, Math.ceil(position)) - lower);
}

function valueAt(buckets: Merged, index: number): number {
  let seen = 0;
  for (const bucket of buckets) {
    seen += bucket.count;
    if (index < seen) return bucket.sumMs / bucket.count;
  }
  const last = buckets[buckets.length - 1]!;
  return last.sumMs / last.count;
}

function merge(rows: readonly ReadyTimeBucket[]): Merged {
  const byBucket = new Map<number, { count: number; sumMs: number }>();
  for (const row of rows) {
    if (row.count <= 0) continue;
    const merged = byBucket.get(row.bucket) ?? { count: 0, sumMs: 0 };
    merged.count += row.count;
    merged.sumMs += row.sumMs;
    byBucket.set(row.bucket, merged);
  }
  return [...byBucket].sort((a, b) => a[0] - b[0]).map(([, merged]) => merged);
}

function summarize(
  model: string | null,
  size: string | null,
  rows: readonly ReadyTimeBucket[],
): ReadyTimes | null {
  const buckets = merge(rows);
  const count = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
  if (count === 0) return null;
  return {
    model,
    size,
    count,
    p50Ms: Math.round(bucketPercentile(buckets, 0.5)),
    p95Ms: Math.round(bucketPercentile(buckets, 0.95)),
  };
}

/** p50 and p95 per model and size (ordered by model, then size), then one row over all of them. */
export function summarizeReadyTimes(rows: readonly ReadyTimeBucket[]): ReadyTimes[] {
  const groups = new Map<string, { model: string; size: string; rows: ReadyTimeBucket[] }>();
  for (const row of rows) {
    const key = JSON.stringify([row.model, row.size]);
    const group = groups.get(key) ?? { model: row.model, size: row.size, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  const perGroup = [...groups.values()]
    .sort((a, b) => a.model.localeCompare(b.model) || a.size.localeCompare(b.size))
    .map((group) => summarize(group.model, group.size, group.rows));
  return [...perGroup, summarize(null, null, rows)].filter((row): row is ReadyTimes => row !== null);
}
