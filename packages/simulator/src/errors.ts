import type { ErrorBody } from './wire';

/**
 * An error the simulator answers with, in OpenAI's shape. Route code throws these; the server's error handler turns
 * them into `{ error: { message, type, param, code } }` with the status and any extra headers (retry-after).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The JSON body sent with the status. */
  toBody(): object {
    const body: ErrorBody = {
      error: { message: this.message, type: this.type, param: this.param, code: this.code },
    };
    return body;
  }
}

/** Azure's error body has only `code` and `message` (no `type` or `param`). */
export class AzureApiError extends ApiError {
  constructor(status: number, code: string, message: string) {
    super(status, message, 'azure_error', null, code);
    this.name = 'AzureApiError';
  }

  override toBody(): object {
    return { error: { code: this.code, message: this.message } };
  }
}

export function invalidRequest(
  message: string,
  param: string | null = null,
  code: string | null = null,
): ApiError {
  return new ApiError(400, message, 'invalid_request_error', param, code);
}

export function invalidValue(param: string, value: string, supported: readonly string[]): ApiError {
  return invalidRequest(
    `Invalid value: '${value}'. Supported values are: ${listOf(supported)}.`,
    param,
    'invalid_value',
  );
}

export function invalidType(param: string, expected: string, value: unknown): ApiError {
  return invalidRequest(
    `Invalid type for '${param}': expected ${expected}, but got ${describeType(value)} instead.`,
    param,
    'invalid_type',
  );
}

export function videoNotFound(id: string): ApiError {
  return new ApiError(
    404,
    `Video with id '${id}' not found.`,
    'invalid_request_error',
    'video_id',
    'not_found',
  );
}

export function missingApiKey(): ApiError {
  return new ApiError(
    401,
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    'invalid_request_error',
  );
}

export function incorrectApiKey(provided: string): ApiError {
  return new ApiError(
    401,
    `Incorrect API key provided: ${maskKey(provided)}. The simulator accepts only the key it was started with.`,
    'invalid_request_error',
    null,
    'invalid_api_key',
  );
}

/** Both headers: `retry-after` (whole seconds, standard) and `retry-after-ms` (which the openai SDK prefers). */
export function retryHeaders(retryAfterMs: number): Record<string, string> {
  return {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
    'retry-after-ms': String(retryAfterMs),
  };
}

export function rateLimited(retryAfterMs: number): ApiError {
  return new ApiError(
    429,
    `Rate limit reached for requests on this video (simulated). Please try again in ${retryAfterMs}ms.`,
    'requests',
    null,
    'rate_limit_exceeded',
    retryHeaders(retryAfterMs),
  );
}

export function serviceUnavailable(retryAfterMs: number): ApiError {
  return new ApiError(
    503,
    `The service is temporarily unavailable (simulated). Please try again in ${retryAfterMs}ms.`,
    'server_error',
    null,
    'service_unavailable',
    retryHeaders(retryAfterMs),
  );
}

export function listOf(values: readonly string[]): string {
  const quoted = values.map((value) => `'${value}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')}${quoted.length > 2 ? ',' : ''} and ${quoted.at(-1)}`;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function maskKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 20))}${key.slice(-4)}`;
}
