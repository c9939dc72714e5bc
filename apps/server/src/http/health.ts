import type { Readiness } from '@sora-monitor/core';
import type { FastifyInstance } from 'fastify';

/** Liveness says the process answers; readiness says it can do useful work (database reachable and migrated). */
export function registerHealthRoutes(app: FastifyInstance, readiness: () => Promise<Readiness>): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const state = await readiness();
    const ready = state.database.reachable && state.database.migrated;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', ...state });
  });
}
