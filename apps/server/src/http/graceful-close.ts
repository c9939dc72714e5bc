import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

/**
 * How long a keep-alive connection may stay open once its last response ends after the server began closing. Node
 * sets a keep-alive timer when a response ends, from this value (plus its own 1 s buffer); fastify's default (72 s)
 * would hold close() that long for every request that was still in flight when it began.
 */
const KEEP_ALIVE_WHILE_CLOSING_MS = 1;

/**
 * Makes `app.close()` end promptly without cutting ordinary requests short:
 * - open live-update streams (SSE) are cut at once: they never end by themselves, and the browser's EventSource (and
 *   the CLI's) reconnects with its Last-Event-ID to another instance, or to this one once it is back, missing nothing;
 * - a request in flight (a video download, say) finishes, and its connection then closes within about a second
 *   instead of waiting out the keep-alive timeout.
 */
export function registerGracefulClose(app: FastifyInstance): void {
  const streams = new Set<ServerResponse>();
  app.addHook('onRequest', async (request, reply) => {
    if (!request.headers.accept?.includes('text/event-stream')) return;
    const response = reply.raw;
    streams.add(response);
    response.once('close', () => streams.delete(response));
  });
  app.addHook('preClose', async () => {
    app.server.keepAliveTimeout = KEEP_ALIVE_WHILE_CLOSING_MS;
    for (const response of streams) response.destroy();
    streams.clear();
  });
}
