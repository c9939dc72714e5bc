import { APIConnectionError, APIConnectionTimeoutError, APIError, NotFoundError, RateLimitError } from 'openai';
import type { UpstreamFailure } from './types';

/** Reads `retry-after-ms` (OpenAI's precise header) or `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | null {
  if (!headers) return null;
  const precise = headers.get('retry-after-ms');
  if (precise && /^\d+(\.\d+)?$/.test(precise)) return Math.ceil(Number(precise));
  const value = headers.get('retry-after');
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function errorBody(error: APIError): { code: string | null; message: string; param: string | null } {
  const body = (error.error ?? {}) as { code?: unknown; message?: unknown; param?: unknown };
  return {
    code: typeof body.code === 'string' ? body.code : (error.code ?? null),
    message: typeof body.message === 'string' ? body.message : error.message,
    param: typeof body.param === 'string' ? body.param : null,
  };
}

/** Turns whatever the SDK threw into the small set of cases the product reacts to differently. */
export function classifyUpstreamError(error: unknown): UpstreamFailure {
  if (error instanceof APIConnectionTimeoutError) {
    return { kind: 'unavailable', reason: 'timeout', retryAfterMs: null, status: null, message: 'The request to the video service timed out' };
  }
  if (error instanceof APIConnectionError) {
    return { kind: 'unavailable', reason: 'network', retryAfterMs: null, status: null, message: `Could not reach the video service: ${error.message}` };
  }
  if (error instanceof NotFoundError) {
    return { kind: 'not_found', message: errorBody(error).message };
  }
  if (error instanceof RateLimitError) {
    const body = errorBody(error);
    return { kind: 'unavailable', reason: 'rate_limited', retryAfterMs: retryAfterMs(error.headers), status: 429, message: body.message, code: body.code };
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const body = errorBody(error);
    if (error.status >= 500 || error.status === 408 || error.status === 409) {
      return { kind: 'unavailable', reason: 'server_error', retryAfterMs: retryAfterMs(error.headers), status: error.status, message: body.message };
    }
    return { kind: 'rejected', status: error.status, code: body.code, message: body.message, param: body.param };
  }
  // A malformed answer (e.g. invalid JSON) or a bug in the SDK: treat as transient, never as a verdict on the job.
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'unavailable', reason: 'server_error', retryAfterMs: null, status: null, message: `Unexpected answer from the video service: ${message}` };
}
