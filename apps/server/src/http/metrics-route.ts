import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';

/**
 * GET /metrics in Prometheus text format, for a scraper holding `Authorization: Bearer <METRICS_TOKEN>`. Without a
 * METRICS_TOKEN the route does not exist (404): metrics name internals (routes, upstream errors, queue sizes) that
 * are nobody else's business.
 */
export function registerMetricsRoute(app: FastifyInstance, registry: Registry, token: string | undefined): void {
  if (!token) return;
  app.get('/metrics', async (request, reply) => {
    if (!carriesToken(request, token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send({ error: 'unauthorized', message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.' });
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

/** Whether the request carries `token` as its bearer; compared in constant time (over digests, so any length). */
export function carriesToken(request: FastifyRequest, token: string | undefined): boolean {
  if (!token) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match?.[1]) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}
