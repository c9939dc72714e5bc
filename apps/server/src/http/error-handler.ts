import { DATABASE_UNAVAILABLE_MESSAGE, internalErrorMessage } from '@sora-monitor/core/server';
import { isDatabaseUnavailableError } from '@sora-monitor/db';
import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * Errors thrown by the non-tRPC routes (content, webhooks, auth, health). A 4xx keeps its message: it tells the
 * caller what to fix (bad JSON, body too large). A 5xx is logged in full and, unless errors are exposed
 * (development), answered with a generic message and the request id: a driver's message can carry SQL, hosts or
 * file paths, and a stack trace describes the code, so neither leaves the server.
 */
export function registerErrorHandler(app: FastifyInstance, options: { exposeErrors: boolean }): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // A database outage is temporary, not a bug: 503 with the same message and wait tRPC callers get.
    if (isDatabaseUnavailableError(error)) {
      request.log.warn({ err: error }, 'request failed: the database is unavailable');
      return reply
        .code(503)
        .header('retry-after', '2')
        .send({ error: 'database_unavailable', message: DATABASE_UNAVAILABLE_MESSAGE, statusCode: 503 });
    }
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    // Rethrown, a 4xx goes on to fastify's default handler: its usual body and log line, message included.
    if (status < 500) throw error;
    request.log.error({ err: error }, 'request failed');
    const message = options.exposeErrors ? error.message : internalErrorMessage(request.id);
    return reply
      .code(status)
      .send({ error: 'internal_error', message, statusCode: status, requestId: request.id });
  });
}
