import type { SQL } from 'drizzle-orm';
import type { Database } from './types';

/** Runs raw SQL and returns its rows: postgres.js answers with an array, PGlite with `{ rows }`. */
export async function executeRows<Row extends Record<string, unknown>>(db: Database, query: SQL): Promise<Row[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as Row[];
  return (result as { rows: Row[] }).rows;
}
