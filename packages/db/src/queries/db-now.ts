import { sql } from 'drizzle-orm';
import { executeRows } from '../rows';
import type { Database } from '../types';

/**
 * The database clock, the one clock all processes share (stuck detection, leases). Inside a transaction this is the
 * transaction's start time, the same value `now()` column defaults get.
 */
export async function dbNow(db: Database): Promise<Date> {
  const [row] = await executeRows<{ ms: number | string }>(db, sql`select extract(epoch from now())::float8 * 1000 as ms`);
  return new Date(Number(row?.ms));
}
