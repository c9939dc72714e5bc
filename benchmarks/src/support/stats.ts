/** Small statistics and formatting helpers shared by the scenarios. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** A number with about three significant digits, thousands separated. */
export function fmt(value: number, digits = 3): string {
  if (Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US');
  if (magnitude === 0) return '0';
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(magnitude)));
  return value.toFixed(Math.min(decimals, 4));
}

export function fmtMs(value: number): string {
  return `${fmt(value)} ms`;
}

export function fmtBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs >= 1024 ** 3) return `${fmt(bytes / 1024 ** 3)} GiB`;
  if (abs >= 1024 ** 2) return `${fmt(bytes / 1024 ** 2)} MiB`;
  if (abs >= 1024) return `${fmt(bytes / 1024)} KiB`;
  return `${Math.round(bytes)} B`;
}

/** numerator ÷ denominator; 0 ÷ 0 is NaN (shown as "n/a"), x ÷ 0 is Infinity. */
export function ratio(numerator: number, denominator: number): number {
  if (denominator === 0) return numerator === 0 ? Number.NaN : Number.POSITIVE_INFINITY;
  return numerator / denominator;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
