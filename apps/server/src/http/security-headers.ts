import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Security headers on every response (helmet). The Content Security Policy allows what the built SPA needs and nothing
 * more: its own scripts, styles, fonts and API (fetch and EventSource) from this origin; images from this origin and
 * data: URLs (the inline SVG favicon); videos from this origin. No inline script, no eval, no plugins, no framing by
 * anyone (frame-ancestors 'none', with X-Frame-Options for old browsers).
 *
 * helmet itself, built once: @fastify/helmet builds the middleware again for every request (parsing the policy each
 * time), which was about 3 % of the server's CPU under a stream of status requests.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: { https: boolean }): void {
  const setHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        mediaSrc: ["'self'"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Only where the app is served over https: on plain http it would send the browser to an https that is not there.
        ...(options.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS means something only over https; on http://localhost it would be ignored at best.
    strictTransportSecurity: options.https ? { maxAge: 15_552_000, includeSubDomains: false } : false,
    // The content route sets its own Cross-Origin-Resource-Policy (same-origin); the default is the same.
  });
  // First thing for every request, so errors, 404s and streams written straight to the socket carry them too.
  app.addHook('onRequest', (request, reply, done) =>
    setHeaders(request.raw, reply.raw, (error) => done(error instanceof Error ? error : undefined)),
  );
}
