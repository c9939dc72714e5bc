import type { UserRateLimiter } from '@sora-monitor/core/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allowedByRateLimit } from './rate-limit-reply';

/** The one thing this route needs from the better-auth instance: its Fetch handler. */
export interface AuthHandler {
  handler: (request: Request) => Promise<Response>;
}

/**
 * Mounts better-auth's endpoints at /api/auth/*. Everything is passed through as Fetch objects;
 * the raw body stays untouched because better-auth parses (and for some routes clones) it itself.
 */
export async function registerAuthRoutes(app: FastifyInstance, auth: AuthHandler, signInPerEmail?: UserRateLimiter): Promise<void> {
  // An encapsulated child context: its body parser applies to these routes and no others.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.route({
      method: ['GET', 'POST'],
      url: '/api/auth/*',
      handler: async (request, reply) => {
        // better-auth limits sign-ins per client IP; this limits them per account too, so rotating IPs cannot
        // brute-force one password. A successful sign-in gives its attempt back: only failures add up.
        const email = signInPerEmail ? await signInEmail(request) : null;
        if (signInPerEmail && email && !(await allowedByRateLimit(reply, signInPerEmail, email))) return reply;
        const response = await auth.handler(toFetchRequest(request));
        if (signInPerEmail && email && response.ok) await signInPerEmail.refund(email);
        return sendFetchResponse(reply, response);
      },
    });
  });
}

/**
 * The normalised email of a POST /api/auth/sign-in/email, or null for any other request (or no readable email).
 * Read the way better-auth reads bodies (JSON, urlencoded or multipart form), so another encoding cannot slip by.
 */
async function signInEmail(request: FastifyRequest): Promise<string | null> {
  if (request.method !== 'POST' || request.url.split('?')[0] !== '/api/auth/sign-in/email') return null;
  if (!Buffer.isBuffer(request.body) || request.body.length === 0) return null;
  const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
  const body = new Response(request.body, { headers: { 'content-type': contentType } });
  try {
    let email: unknown = null;
    if (contentType.includes('json')) email = ((await body.json()) as { email?: unknown } | null)?.email;
    else if (contentType.includes('x-www-form-urlencoded') || contentType.includes('multipart/form-data')) {
      email = (await body.formData()).get('email');
    }
    return typeof email === 'string' && email.trim() !== '' ? email.trim().toLowerCase() : null;
  } catch {
    return null; // Unreadable: better-auth answers it with its own error.
  }
}

function toFetchRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  // better-auth rate-limits by the client IP it reads from X-Forwarded-For. A client could write
  // anything there, so pass the address fastify resolved instead (it honours the trustProxy setting).
  headers.set('x-forwarded-for', request.ip);

  const url = `${request.protocol}://${request.host}${request.url}`;
  const body = Buffer.isBuffer(request.body) && request.body.length > 0 ? request.body : undefined;
  return new Request(url, { method: request.method, headers, body });
}

async function sendFetchResponse(reply: FastifyReply, response: Response): Promise<FastifyReply> {
  reply.code(response.status);
  response.headers.forEach((value, name) => {
    // Set-Cookie is the one header that must not be folded into a single line.
    if (name !== 'set-cookie') reply.header(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) reply.header('set-cookie', cookies);

  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  return reply.send(body);
}
