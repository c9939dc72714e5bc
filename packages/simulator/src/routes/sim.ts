import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context';
import type { RequestLogEntry } from '../request-log';

export const SIM_ROUTE_PREFIX = '/__sim/';

/**
 * The simulator's own control routes, outside /v1 and without auth, for other processes (benchmarks, e2e tests).
 * They are not recorded in the request log, so reading the log does not change it.
 */
export function registerSimRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/__sim/health', async () => ({ status: 'ok', jobs: ctx.store.size() }));

  app.get('/__sim/requests', async (): Promise<{ requests: RequestLogEntry[] }> => ({
    requests: ctx.log.entries(),
  }));

  app.delete('/__sim/requests', async (_request, reply) => {
    ctx.log.clear();
    return reply.code(204).send();
  });
}
