/**
 * What a caller sees instead of an unexpected error's own text (driver messages, SQL, hosts, stack traces), which
 * stays in the server log. The request id lets the operator find that log line. Shared by the tRPC error formatter
 * and the HTTP server's error handler so both say the same thing.
 */
export function internalErrorMessage(requestId?: string): string {
  const reference = requestId ? ` (request id ${requestId})` : '';
  return `Something went wrong on our side. Try again; if it keeps happening, tell the operator${reference}.`;
}
