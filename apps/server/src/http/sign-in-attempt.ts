import type { FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';

/** Where better-auth's email sign-in endpoint lives (its basePath, /api/auth, plus the endpoint's own path). */
const SIGN_IN_EMAIL_PATH = '/api/auth/sign-in/email';

/**
 * Whether better-auth could run its email sign-in for this request. better-call reads the path through the WHATWG
 * URL parser (which resolves `./`, `../` and `%2e` segments) and matches it with rou3; this decides on the same
 * parsed path, and on purpose more loosely (any case, repeated or trailing slashes), so no spelling that better-auth
 * would run can pass uncounted. Spellings it would not run (404 there) are merely counted too.
 */
export function isSignInEmailRequest(method: string, rawUrl: string): boolean {
  if (method !== 'POST') return false;
  let pathname: string;
  try {
    pathname = new URL(rawUrl, 'http://localhost').pathname;
  } catch {
    return false; // Unparseable: better-auth cannot route it either.
  }
  const loose = pathname.replace(/\/{2,}/g, '/').replace(/\/+$/, '').toLowerCase();
  return loose === SIGN_IN_EMAIL_PATH;
}

/**
 * The email of a sign-in attempt, normalised as better-auth compares it, or null when there is none to read. Read the
 * way better-auth reads bodies (JSON, urlencoded or multipart form), so another encoding cannot slip by.
 */
export async function signInEmail(request: FastifyRequest): Promise<string | null> {
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

/**
 * The source an attempt is counted against: the client address fastify resolved (it honours trustProxy). An IPv6
 * client usually holds a whole /64, so the /64 is one source; an IPv4-mapped address is its IPv4 address.
 */
export function attemptSource(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/64`).toString()}/64`;
}
