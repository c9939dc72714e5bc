import type { Readiness } from '@sora-monitor/core';
import type { FastifyInstance } from 'fastify';
import { carriesToken } from './metrics-route';

/**
 * Liveness says the process answers; readiness says it can do useful work (database reachable and migrated).
 * Anyone gets ready or not ready; the details (database kind, driver error) only an operator holding METRICS_TOKEN.
 */
export function registerHealthRoutes(app: FastifyInstance, readiness: () => Promise<Readiness>, metricsToken?: string): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    const state = await readiness();
    const ready = state.database.reachable && state.database.migrated;
    if (!ready) request.log.warn({ database: state.database }, 'Not ready');
    const status = ready ? 'ready' : 'not_ready';
    return reply.code(ready ? 200 : 503).send(carriesToken(request, metricsToken) ? { status, ...state } : { status });
  });
}
