import type { FastifyInstance } from 'fastify';

/**
 * One log line per request, at debug: a page that polls every 3 s would otherwise fill an info log (two lines per
 * request) with nothing anyone needs. LOG_LEVEL=debug brings them back. Errors are logged by the error handler.
 */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug(
      { method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request completed',
    );
  });
}
