import { retryDelayMs } from './backoff';

/*
 * What one delivery try leads to: done, another try later (exponential back-off with jitter), or given up once the
 * next try would fall more than a day after the event.
 */

export interface DeliveryRetryPolicy {
  /** The first retry's delay; it doubles per try. */
  baseMs: number;
  /** The longest wait between two tries. */
  capMs: number;
  /** Tries stop once the next one would be this long after the event was queued. */
  giveUpAfterMs: number;
  /** Uniform in [0, 1): `Math.random` in production, a fixed value in tests. */
  random: () => number;
}

export const DEFAULT_DELIVERY_RETRY_POLICY: Omit<DeliveryRetryPolicy, 'random'> = {
  baseMs: 30_000,
  capMs: 2 * 3_600_000,
  giveUpAfterMs: 24 * 3_600_000,
};

/** How a try went: the receiver answered (any status), or the request could not be made or finished. */
export type DeliveryTryResult =
  | { kind: 'answered'; statusCode: number; latencyMs: number; responseSnippet: string }
  | { kind: 'not_delivered'; error: string; latencyMs: number | null };

export interface DeliveryTryPlan {
  status: 'succeeded' | 'pending' | 'failed';
  attempts: number;
  /** The next try this long from now; null when there is none. */
  retryInMs: number | null;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  lastResponseSnippet: string | null;
}

/** The most of a receiver's answer that is kept, as text (it is shown, never parsed or trusted). */
export const RESPONSE_SNIPPET_LENGTH = 200;

/**
 * Plans the row after a try. Only a 2xx answer delivers (a redirect is not followed: its target was never checked
 * against the address rules); anything else is retried after `baseMs × 2^(tries − 1)` (at most `capMs`, "equal
 * jitter": between half and all of it) until the next try would come after `giveUpAfterMs`.
 */
export function planDeliveryTry(
  delivery: { attempts: number; ageMs: number },
  result: DeliveryTryResult,
  policy: DeliveryRetryPolicy,
): DeliveryTryPlan {
  const attempts = delivery.attempts + 1;
  const answered = result.kind === 'answered';
  const base = {
    attempts,
    lastStatusCode: answered ? result.statusCode : null,
    lastLatencyMs: result.latencyMs === null ? null : Math.round(result.latencyMs),
    lastResponseSnippet: answered ? cleanSnippet(result.responseSnippet) : null,
  };
  if (answered && result.statusCode >= 200 && result.statusCode < 300) {
    return { ...base, status: 'succeeded', retryInMs: null, lastError: null };
  }
  const problem = answered ? `The receiver answered HTTP ${result.statusCode}` : result.error;
  const delay = retryDelayMs(attempts, { baseMs: policy.baseMs, capMs: policy.capMs, random: policy.random, maxAttempts: Number.MAX_SAFE_INTEGER }) ?? 0;
  if (delivery.ageMs + (result.latencyMs ?? 0) + delay > policy.giveUpAfterMs) {
    return {
      ...base,
      status: 'failed',
      retryInMs: null,
      lastError: `${problem}. Gave up after ${attempts} ${attempts === 1 ? 'try' : 'tries'}: the next would be more than ${describeHours(policy.giveUpAfterMs)} after the event.`,
    };
  }
  return { ...base, status: 'pending', retryInMs: delay, lastError: problem };
}

/** Printable text only, cut to RESPONSE_SNIPPET_LENGTH. */
function cleanSnippet(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').slice(0, RESPONSE_SNIPPET_LENGTH);
}

function describeHours(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return ms >= 1_000 ? `${Math.round(ms / 1_000)} s` : `${ms} ms`;
}
