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
  /** The earlier of `firstDay` and `monthStart`: the daily counts are read from here (the month's spend needs them). */
  countsFrom: string;
}

/**
 * Where today, the range and the month begin in `timeZone` (an IANA name PostgreSQL knows) by the database clock,
 * so every process agrees on "today" whatever its own clock says.
 */
export async function usageWindow(db: Database, timeZone: string, days: number): Promise<UsageWindow> {
  const [row] = await executeRows<UsageWindow & Record<string, unknown>>(
    db,
    sql`with local as (select (now() at time zone ${timeZone})::date as today)
        select to_char(today, 'YYYY-MM-DD') as "today",
               to_char(today - (${days}::int - 1), 'YYYY-MM-DD') as "firstDay",
               to_char(date_trunc('month', today)::date, 'YYYY-MM-DD') as "monthStart",
               to_char(least(today - (${days}::int - 1), date_trunc('month', today)::date), 'YYYY-MM-DD') as "countsFrom"
        from local`,
  );
  if (!row) throw new Error('usageWindow: the database returned no row');
  return row;
}
