import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { isUnauthorized } from './errors';

// better-auth's standard endpoints, called with plain fetch: the SPA needs four of them and no client library.

export interface SessionUser {
  id: string;
  name: string;
  email: string;
}

export const SESSION_KEY = ['auth', 'session'] as const;

export class AuthError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
    readonly status: number,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

async function authFetch<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/auth/${path}`, {
      ...init,
      credentials: 'same-origin',
      headers: init?.body ? { 'content-type': 'application/json' } : undefined,
    });
  } catch {
    throw new AuthError('The server cannot be reached. Check your connection and try again.', null, 0);
  }
  const body = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) throw toAuthError(response, body);
  return body as T;
}

function toAuthError(response: Response, body: unknown): AuthError {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof record.code === 'string' ? record.code : null;
  if (response.status === 429) {
    const retryAfter = Number(response.headers.get('retry-after'));
    const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? ` in ${Math.ceil(retryAfter)} s` : ' in a minute';
    return new AuthError(`Too many attempts. Please try again${wait}.`, code, 429);
  }
  const message = typeof record.message === 'string' && record.message ? record.message : 'Something went wrong. Please try again.';
  return new AuthError(message, code, response.status);
}

/** GET get-session also refreshes the session cookie, so it is the first call the app makes. */
export async function getSession(): Promise<SessionUser | null> {
  const body = await authFetch<{ user?: SessionUser } | null>('get-session');
  return body?.user ? { id: body.user.id, name: body.user.name, email: body.user.email } : null;
}

export async function signIn(input: { email: string; password: string }): Promise<SessionUser> {
  const body = await authFetch<{ user: SessionUser }>('sign-in/email', { method: 'POST', body: JSON.stringify(input) });
  return body.user;
}

export async function signUp(input: { name: string; email: string; password: string }): Promise<SessionUser> {
  const body = await authFetch<{ user: SessionUser }>('sign-up/email', { method: 'POST', body: JSON.stringify(input) });
  return body.user;
}

export async function signOut(): Promise<void> {
  await authFetch('sign-out', { method: 'POST', body: '{}' });
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: getSession, staleTime: 5 * 60_000, retry: 1 });
}

/** After signing in or out nothing cached for the previous user may remain. */
export function startSession(queryClient: QueryClient, user: SessionUser | null): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
  queryClient.setQueryData(SESSION_KEY, user);
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return async () => {
    try {
      await signOut();
    } finally {
      startSession(queryClient, null);
    }
  };
}

/**
 * For subscriptions, which bypass the query cache's error handler: a stream the server ended with UNAUTHORIZED (a
 * sign-out in another tab, say) sends the app back to sign in, like any other refused call.
 */
export function useEndSessionOnUnauthorized(): (error: unknown) => void {
  const queryClient = useQueryClient();
  return (error) => {
    if (isUnauthorized(error)) queryClient.setQueryData(SESSION_KEY, null);
  };
}
