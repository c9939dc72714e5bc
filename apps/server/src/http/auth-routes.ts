import type { UserRateLimiter } from '@sora-monitor/core/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allowedByRateLimit } from './rate-limit-reply';
import { attemptSource, isSignInEmailRequest, signInEmail } from './sign-in-attempt';

/** The one thing this route needs from the better-auth instance: its Fetch handler. */
export interface AuthHandler {
  handler: (request: Request) => Promise<Response>;
}

/**
 * Mounts better-auth's endpoints at /api/auth/*. Everything is passed through as Fetch objects;
 * the raw body stays untouched because better-auth parses (and for some routes clones) it itself.
 */
export async function registerAuthRoutes(app: FastifyInstance, auth: AuthHandler, signInPerAccount?: UserRateLimiter): Promise<void> {
  // An encapsulated child context: its body parser applies to these routes and no others.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.route({
      method: ['GET', 'POST'],
      url: '/api/auth/*',
      handler: async (request, reply) => {
        // better-auth limits sign-ins per client IP; this limits failures per account and source too, so one source
        // cannot guess one account's password fast, while its owner, signing in from elsewhere, is not locked out.
        // A successful sign-in gives its attempt back: only failures add up.
        const key = signInPerAccount ? await signInAttemptKey(request) : null;
        if (signInPerAccount && key && !(await allowedByRateLimit(reply, signInPerAccount, key))) return reply;
        const response = await auth.handler(toFetchRequest(request));
        if (signInPerAccount && key && response.ok) await signInPerAccount.refund(key);
        return sendFetchResponse(reply, response);
      },
    });
  });
}

/** `account|source` for an email sign-in attempt, or null for any other request (or no readable email). */
async function signInAttemptKey(request: FastifyRequest): Promise<string | null> {
  if (!isSignInEmailRequest(request.method, request.url)) return null;
  const email = await signInEmail(request);
  return email === null ? null : `${email}|${attemptSource(request.ip)}`;
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
