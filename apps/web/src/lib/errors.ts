import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@sora-monitor/core';

type AppClientError = TRPCClientError<AppRouter>;

function asClientError(error: unknown): AppClientError | null {
  return error instanceof TRPCClientError ? (error as AppClientError) : null;
}

/** The tRPC error code (`NOT_FOUND`, `BAD_REQUEST`…) or null for anything else. */
export function errorCode(error: unknown): string | null {
  return asClientError(error)?.data?.code ?? null;
}

export function isNotFound(error: unknown): boolean {
  const code = errorCode(error);
  // A malformed id in the URL is, for the person looking at it, the same as a video that does not exist.
  return code === 'NOT_FOUND' || (code === 'BAD_REQUEST' && fieldErrors(error).videoId !== undefined);
}

export function isUnauthorized(error: unknown): boolean {
  return errorCode(error) === 'UNAUTHORIZED';
}

/** Validation messages by field name, from the server's flattened zod error (or an AppError naming a field). */
export function fieldErrors(error: unknown): Record<string, string[]> {
  const data = asClientError(error)?.data;
  if (!data) return {};
  const result: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(data.zodError?.fieldErrors ?? {})) {
    if (Array.isArray(messages) && messages.length > 0) result[field] = messages;
  }
  const appField = data.appError?.field;
  if (appField && !result[appField]) result[appField] = [asClientError(error)?.message ?? 'Invalid value'];
  return result;
}

/** A sentence to show the user: the server's own message unless it is a raw validation dump. */
export function errorMessage(error: unknown): string {
  const client = asClientError(error);
  if (client) {
    if (client.data?.zodError) return 'Some values need fixing.';
    if (client.data?.code === 'INTERNAL_SERVER_ERROR') return 'Something went wrong on the server. Please try again.';
    if (!client.data) return 'The server cannot be reached. Check your connection and try again.';
    return client.message;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}
