/**
 * Error codes domain code may throw. The tRPC layer maps each to a transport code in one table,
 * so this module never imports tRPC and the web app can import it too.
 */
export type AppErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'UPSTREAM_UNAVAILABLE'
  | 'INTERNAL';

export const APP_ERROR_CODES: readonly AppErrorCode[] = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'TOO_MANY_REQUESTS',
  'UPSTREAM_UNAVAILABLE',
  'INTERNAL',
];

export interface AppErrorOptions {
  /** The underlying error, for logs; never shown to users. */
  cause?: unknown;
  /** When the client may try again (TOO_MANY_REQUESTS, UPSTREAM_UNAVAILABLE). */
  retryAfterMs?: number;
  /** The input field the error is about, so a form can show it next to that field. */
  field?: string;
}

/** A failure whose `message` is safe and meant to be shown to the user as is. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: AppErrorCode;
  readonly retryAfterMs: number | undefined;
  readonly field: string | undefined;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
    this.field = options.field;
  }
}

/**
 * True for an AppError. Also accepts a structurally identical error from another copy of this module
 * (two bundles, a test double), where `instanceof` alone would say no.
 */
export function isAppError(value: unknown): value is AppError {
  if (value instanceof AppError) return true;
  if (!(value instanceof Error) || value.name !== 'AppError') return false;
  const code: unknown = (value as { code?: unknown }).code;
  return typeof code === 'string' && (APP_ERROR_CODES as readonly string[]).includes(code);
}
