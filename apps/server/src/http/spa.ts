import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const API_PREFIXES = ['/trpc', '/api/', '/healthz', '/readyz', '/metrics'];

/**
 * Serves the built SPA on the same port as the API. Unknown GETs that accept HTML get index.html so client-side
 * routes survive a reload; API paths keep their JSON 404.
 */
export async function registerSpa(app: FastifyInstance, distDir: string, options: { serveSourceMaps?: boolean } = {}): Promise<void> {
  const indexFile = path.join(distDir, 'index.html');
  const built = existsSync(indexFile);
  if (built) {
    // Source maps are built (hidden: no bundle points at them) but served only in development, so production does
    // not hand out the app's original source.
    const allowedPath = options.serveSourceMaps ? undefined : (pathName: string) => !pathName.endsWith('.map');
    await app.register(fastifyStatic, { root: distDir, wildcard: false, index: false, ...(allowedPath ? { allowedPath } : {}) });
  } else {
    app.log.warn({ distDir }, 'The web app is not built, so only the API is served. Build it with: pnpm --filter @sora-monitor/web build');
  }

  app.setNotFoundHandler((request, reply) => {
    const isApi = API_PREFIXES.some((prefix) => request.url.startsWith(prefix));
    // Browsers ask for text/html; curl and other tools send */* (or nothing) and get the page too, not a JSON 404.
    const accept = request.headers.accept ?? '*/*';
    const wantsHtml = request.method === 'GET' && (accept.includes('text/html') || accept.includes('*/*'));
    // A missing (or withheld) file such as a source map is a 404, never the page: only client-side routes get it.
    const isFile = /\.[A-Za-z0-9]+$/.test(request.url.split('?')[0] ?? '');
    if (!isApi && !isFile && wantsHtml) {
      if (built) return reply.type('text/html').sendFile('index.html');
      return reply
        .code(503)
        .type('text/plain')
        .send('The web app is not built. Run `pnpm start` (builds it) or `pnpm --filter @sora-monitor/web build`.');
    }
    return reply.code(404).send({ error: 'not_found', message: `No route for ${request.method} ${request.url}` });
  });
}
