import type { FastifyInstance } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// better-auth checks origins itself; webhooks are signed server-to-server calls with no cookies.
const EXEMPT_PREFIXES = ['/api/auth/', '/api/webhooks/'];

/**
 * Refuses state-changing requests a browser sent from another origin, whatever their content type (a cross-site
 * text/plain or multipart form needs no CORS preflight). SameSite=Lax cookies already stop most of them; this also
 * covers same-site origins (another subdomain). Requests without Origin (CLI, server-to-server) are unaffected:
 * they authenticate with a bearer token that a browser cannot attach cross-origin.
 */
export function registerOriginCheck(app: FastifyInstance, trustedOrigins: readonly string[]): void {
  const trusted = new Set(trustedOrigins.map((origin) => origin.replace(/\/+$/, '')));
  app.addHook('onRequest', async (request, reply) => {
    if (SAFE_METHODS.has(request.method) || EXEMPT_PREFIXES.some((prefix) => request.url.startsWith(prefix))) return;
    const origin = request.headers.origin;
    const fetchSite = request.headers['sec-fetch-site'];
    const foreignOrigin = origin !== undefined && !trusted.has(origin);
    if (foreignOrigin || fetchSite === 'cross-site') {
      request.log.warn({ origin, fetchSite, url: request.url }, 'Refused a cross-origin state-changing request');
      return reply.code(403).send({ error: 'forbidden_origin', message: 'Requests from other sites are not allowed.' });
    }
  });
}
