import { isDatabaseUnavailableError } from '@sora-monitor/db';
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { AppError, type AppErrorCode } from '../domain';

/** The one table from domain error codes to tRPC codes; domain code never imports tRPC. */
const TRPC_CODE: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  UPSTREAM_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: TRPC_CODE[error.code], message: error.message, cause: error });
}

export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable; try again in a moment.';
/** What a client is told to wait before trying again while the database is away (also the retry-after header). */
const DATABASE_RETRY_AFTER_MS = 2_000;

/**
 * A lost database connection is an outage, not a bug: SERVICE_UNAVAILABLE with a message a person can act on and a
 * retry-after, instead of a 500 carrying the driver's text. The driver error stays as the cause, for the log.
 */
export function databaseUnavailableError(cause: unknown): AppError {
  return new AppError('UPSTREAM_UNAVAILABLE', DATABASE_UNAVAILABLE_MESSAGE, {
    cause,
    retryAfterMs: DATABASE_RETRY_AFTER_MS,
  });
}

/** For code that runs outside the procedures' middleware (context creation): a database outage becomes a 503. */
export function rethrowDatabaseUnavailable(error: unknown): never {
  if (isDatabaseUnavailableError(error)) throw toTRPCError(databaseUnavailableError(error));
  throw error;
}
