import type { Logger } from 'drizzle-orm';

/** Drizzle's logger hook, only when someone listens: statement counting in tests costs nothing otherwise. */
export function queryLogger(onQuery: ((sql: string) => void) | undefined): Logger | undefined {
  return onQuery ? { logQuery: (query) => onQuery(query) } : undefined;
}
