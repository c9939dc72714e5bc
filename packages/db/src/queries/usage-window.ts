import { sql } from 'drizzle-orm';
import { executeRows } from '../rows';
import type { Database } from '../types';

/** The calendar days a usage report covers, as dates (YYYY-MM-DD) in the user's time zone, by the database clock. */
export interface UsageWindow {
  /** Today in the time zone. */
  today: string;
  /** The first day of the chosen range (`days` days ending today). */
  firstDay: string;
  /** The first day of this month. */
  monthStart: string;
  /** The first instant of `firstDay` in the time zone: the range's durations are measured from here. */
  rangeStart: Date;
  /** The first instant of the earlier of `firstDay` and `monthStart`: the daily counts are read from here. */
  since: Date;
}

/**
 * Where today, the range and the month begin in `timeZone` (an IANA name PostgreSQL knows) by the database clock,
 * so every process agrees on "today" whatever its own clock says.
 */
export async function usageWindow(db: Database, timeZone: string, days: number): Promise<UsageWindow> {
  const [row] = await executeRows<{ today: string; firstDay: string; monthStart: string; rangeStartMs: number | string; sinceMs: number | string }>(
    db,
    sql`with local as (select (now() at time zone ${timeZone})::date as today)
        select to_char(today, 'YYYY-MM-DD') as "today",
               to_char(today - (${days}::int - 1), 'YYYY-MM-DD') as "firstDay",
               to_char(date_trunc('month', today)::date, 'YYYY-MM-DD') as "monthStart",
               extract(epoch from ((today - (${days}::int - 1))::timestamp at time zone ${timeZone}))::float8 * 1000 as "rangeStartMs",
               extract(epoch from (least(today - (${days}::int - 1), date_trunc('month', today)::date)::timestamp
                 at time zone ${timeZone}))::float8 * 1000 as "sinceMs"
        from local`,
  );
  if (!row) throw new Error('usageWindow: the database returned no row');
  return {
    today: row.today,
    firstDay: row.firstDay,
    monthStart: row.monthStart,
    rangeStart: new Date(Number(row.rangeStartMs)),
    since: new Date(Number(row.sinceMs)),
  };
}
