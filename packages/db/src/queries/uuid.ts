const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id names no row: checking first keeps PostgreSQL's "invalid input syntax for type uuid" out of 500s. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
