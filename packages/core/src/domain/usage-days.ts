/** The ranges the usage page offers, in days ending today. */
export const USAGE_RANGE_DAYS = [7, 30, 90] as const;
export type UsageRangeDays = (typeof USAGE_RANGE_DAYS)[number];

const DAY_MS = 86_400_000;

/**
 * Every calendar day from `first` to `last` (YYYY-MM-DD, both included). Calendar arithmetic only: the dates were
 * already taken in the user's time zone, so stepping in UTC cannot skip or repeat a day across a DST change.
 */
export function calendarDays(first: string, last: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${last}T00:00:00Z`);
  for (let at = Date.parse(`${first}T00:00:00Z`); at <= end; at += DAY_MS) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

/**
 * Whether `timeZone` names a time zone this runtime knows (any letter case, as PostgreSQL reads them). Browsers
 * report theirs with `Intl.DateTimeFormat().resolvedOptions().timeZone`.
 */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
