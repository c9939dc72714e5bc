import { defaultKeyHasher } from '@better-auth/api-key';
import type { Auth } from './create-auth';

export interface RequestUser {
  id: string;
  email: string;
  name: string;
  via: 'session' | 'token';
}

/** The columns of the api-key plugin's "apikey" model that decide whether a token is usable. */
interface StoredApiToken {
  referenceId: string;
  enabled: boolean | null;
  expiresAt: Date | null;
}

/**
 * Who is calling: from `Authorization: Bearer <api token>` if present, otherwise from the session
 * cookie. Called once per application request, so each path costs at most two queries.
 */
export async function resolveRequestUser(auth: Auth, headers: Headers): Promise<RequestUser | null> {
  const bearer = readBearerToken(headers);
  if (bearer !== null) return userForApiToken(auth, bearer);

  const found = await auth.api.getSession({ headers });
  if (!found) return null;
  const { id, email, name } = found.user;
  return { id, email, name, via: 'session' };
}

function readBearerToken(headers: Headers): string | null {
  const match = /^Bearer\s+(\S*)\s*$/i.exec(headers.get('authorization') ?? '');
  return match ? (match[1] ?? '') : null;
}

/**
 * A read-only lookup by hash in the plugin's table (the plugin's own hasher keeps the format in
 * step). The plugin's verify endpoint would also write usage counters on every call, which these
 * tokens do not use (per-key rate limits and quotas are off).
 */
async function userForApiToken(auth: Auth, token: string): Promise<RequestUser | null> {
  if (!token) return null;
  const context = await auth.$context;
  const stored = await context.adapter.findOne<StoredApiToken>({
    model: 'apikey',
    where: [{ field: 'key', value: await defaultKeyHasher(token) }],
  });
  if (!stored || stored.enabled === false) return null;
  if (stored.expiresAt && stored.expiresAt.getTime() <= Date.now()) return null;

  const user = await context.internalAdapter.findUserById(stored.referenceId);
  if (!user) return null;
  return { id: user.id, email: user.email, name: user.name, via: 'token' };
}
