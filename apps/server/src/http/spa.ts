import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const API_PREFIXES = ['/trpc', '/api/', '/healthz', '/readyz', '/metrics'];

/**
 * Serves the built SPA on the same port as the API. Unknown GETs that accept HTML get index.html so client-side
 * routes survive a reload; API paths keep their JSON 404.
 */
export async function registerSpa(app: FastifyInstance, distDir: string): Promise<void> {
  const indexFile = path.join(distDir, 'index.html');
  const built = existsSync(indexFile);
  if (built) {
    await app.register(fastifyStatic, { root: distDir, wildcard: false, index: false });
  } else {
    app.log.warn({ distDir }, 'The web app is not built, so only the API is served. Build it with: pnpm --filter @sora-monitor/web build');
  }

  app.setNotFoundHandler((request, reply) => {
    const isApi = API_PREFIXES.some((prefix) => request.url.startsWith(prefix));
    const wantsHtml = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
    if (!isApi && wantsHtml) {
      if (built) return reply.type('text/html').sendFile('index.html');
      return reply
        .code(503)
        .type('text/plain')
        .send('The web app is not built. Run `pnpm start` (builds it) or `pnpm --filter @sora-monitor/web build`.');
    }
    return reply.code(404).send({ error: 'not_found', message: `No route for ${request.method} ${request.url}` });
  });
}
