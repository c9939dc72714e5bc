import { isAPIError } from 'better-auth/api';
import { AppError, type AppErrorCode } from '../domain/errors';

const CODE_BY_STATUS: Record<string, AppErrorCode> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
};

/** Turns better-auth's APIError into the coded AppError the rest of core speaks; anything else passes through. */
export function toAppError(error: unknown): unknown {
  if (!isAPIError(error)) return error;
  const code = CODE_BY_STATUS[String(error.status)] ?? 'INTERNAL';
  const message = code === 'INTERNAL' ? 'Authentication failed unexpectedly.' : error.message;
  return new AppError(code, message, { cause: error });
}
