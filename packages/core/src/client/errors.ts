import { TRPCClientError } from '@trpc/client';

export type ClientErrorKind =
  | 'unreachable'
  | 'not_sora_monitor'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'bad_input'
  | 'refused'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  | 'server_error'
  | 'aborted'
  | 'unknown';

export interface ClientErrorInfo {
  kind: ClientErrorKind;
  /** The tRPC error code (`NOT_FOUND`, `BAD_REQUEST`, …); null when the server never answered. */
  code: string | null;
  /** A readable message: the server's own, the validation messages joined, or the network failure. */
  message: string;
  /** Validation messages by input field (from the server's flattened zod error), e.g. `{ prompt: [...] }`. */
  fieldErrors: Record<string, string[]>;
  /** Milliseconds the server asked to wait before trying again, when it said so. */
  retryAfterMs: number | null;
}

interface ErrorData {
  code?: string;
  zodError?: { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> } | null;
  appError?: { field?: string | null; retryAfterMs?: number | null } | null;
}

const KIND_BY_CODE: Record<string, ClientErrorKind> = {
  UNAUTHORIZED: 'unauthorized',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not_found',
  BAD_REQUEST: 'bad_input',
  PARSE_ERROR: 'bad_input',
  UNPROCESSABLE_CONTENT: 'bad_input',
  CONFLICT: 'conflict',
  PRECONDITION_FAILED: 'conflict',
  TOO_MANY_REQUESTS: 'rate_limited',
  SERVICE_UNAVAILABLE: 'unavailable',
  INTERNAL_SERVER_ERROR: 'server_error',
};

/**
 * Sorts any error a client call can throw into what a caller can act on: the server is unreachable, the token was
 * rejected, the id is unknown, the input is invalid (with each field's messages), and so on.
 */
export function describeClientError(error: unknown): ClientErrorInfo {
  const base = { code: null, fieldErrors: {}, retryAfterMs: null };
  if (isAbort(error)) return { ...base, kind: 'aborted', message: 'The request was cancelled.' };
  const network = networkFailure(error);
  if (network) return { ...base, kind: 'unreachable', message: network };
  if (!(error instanceof TRPCClientError)) {
    return { ...base, kind: 'unknown', message: error instanceof Error ? error.message : String(error) };
  }

  const data = (error.data ?? null) as ErrorData | null;
  if (!data?.code) {
    // An answer that is not a tRPC response: some other server (or a proxy's error page) is at that address.
    return { ...base, kind: 'not_sora_monitor', message: error.message };
  }
  const fieldErrors = Object.fromEntries(
    Object.entries(data.zodError?.fieldErrors ?? {}).flatMap(([field, messages]) =>
      messages?.length ? [[field, messages]] : [],
    ),
  );
  const validation = [...(data.zodError?.formErrors ?? []), ...Object.values(fieldErrors).flat()];
  // BAD_REQUEST is both invalid input (a field to fix) and an operation refused in the current state.
  const refused = data.code === 'BAD_REQUEST' && validation.length === 0 && !data.appError?.field;
  return {
    kind: refused ? 'refused' : (KIND_BY_CODE[data.code] ?? 'unknown'),
    code: data.code,
    // A validation error's own message is the raw issue list; the flattened messages read better.
    message: validation.length > 0 ? validation.join('; ') : error.message,
    fieldErrors,
    retryAfterMs: data.appError?.retryAfterMs ?? null,
  };
}

function isAbort(error: unknown): boolean {
  return causes(error).some((cause) => cause instanceof Error && cause.name === 'AbortError');
}

/** The innermost message of a failure to connect at all (refused, DNS, reset, TLS), or null. */
function networkFailure(error: unknown): string | null {
  const chain = causes(error);
  const failed = chain.some(
    (cause) =>
      (cause instanceof TypeError && /fetch failed/i.test(cause.message)) ||
      (cause instanceof Error && /^TypeError: fetch failed/.test(cause.message)),
  );
  if (!failed) return null;
  return messageOf(chain.at(-1)).replace(/^(TypeError: )?fetch failed: /, '');
}

/** An error's message; for an AggregateError (e.g. both ::1 and 127.0.0.1 refused), its parts' messages. */
function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return [...new Set(error.errors.map((part: unknown) => messageOf(part)))].join('; ');
  }
  if (error instanceof Error)
    return error.message || String((error as { code?: unknown }).code ?? error.name);
  return String(error);
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 10 && !chain.includes(current)) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}
