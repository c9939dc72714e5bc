// Fixed colours (SVG fills do not read CSS variables everywhere), chosen to read on the light and the dark theme.
const SERIES = ['#3f5fe0', '#e07b1f', '#2a9d8f', '#c2417a', '#7a5af5', '#8a8f1c', '#d1495b', '#4f8fc0'];

export function seriesColor(index: number): string {
  return SERIES[index % SERIES.length]!;
}

export const OUTCOME_COLORS = { completed: '#2e9b4e', reset: '#8c8f99', active: '#4f8fc0' } as const;

/** Short day label for an axis: "3 Dec" from "2026-12-03" (the date is already the user's local day). */
export function dayLabel(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 1, date!)).toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
}
