import { AppError } from '../domain/errors';
import { toAppError } from './auth-error';
import type { Auth } from './create-auth';

/** What a user sees about their tokens; the token itself is never stored, only its hash. */
export interface ApiTokenSummary {
  id: string;
  name: string | null;
  /** The first characters of the token, so the user can tell their tokens apart. */
  start: string | null;
  createdAt: Date;
}

export interface CreatedApiToken {
  id: string;
  name: string | null;
  /** The full token: returned once, here, and never again. */
  token: string;
  createdAt: Date;
}

/** Creates a token for the user signed in with `headers` (their session cookie). */
export async function createApiToken(auth: Auth, headers: Headers, name: string): Promise<CreatedApiToken> {
  try {
    const created = await auth.api.createApiKey({ headers, body: { name } });
    return { id: created.id, name: created.name, token: created.key, createdAt: created.createdAt };
  } catch (error) {
    throw toAppError(error);
  }
}

export async function listApiTokens(auth: Auth, headers: Headers): Promise<ApiTokenSummary[]> {
  try {
    const { apiKeys } = await auth.api.listApiKeys({ headers });
    return apiKeys.map((key) => ({ id: key.id, name: key.name, start: key.start, createdAt: key.createdAt }));
  } catch (error) {
    throw toAppError(error);
  }
}

/**
 * Deletes one of the signed-in user's tokens. Another user's token is answered exactly like one
 * that does not exist (NOT_FOUND), so ids of other people's tokens cannot be probed.
 */
export async function revokeApiToken(auth: Auth, headers: Headers, id: string): Promise<void> {
  try {
    await auth.api.deleteApiKey({ headers, body: { keyId: id } });
  } catch (error) {
    const appError = toAppError(error);
    if (appError instanceof AppError && appError.code === 'NOT_FOUND') {
      throw new AppError('NOT_FOUND', 'No such API token.', { cause: error });
    }
    throw appError;
  }
}
