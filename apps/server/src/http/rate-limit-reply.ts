import { retryAfterSeconds, type UserRateLimiter } from '@sora-monitor/core/server';
import { isAppError } from '@sora-monitor/core/domain';
import type { TRPCError } from '@trpc/server';
import type { FastifyReply } from 'fastify';

/**
 * Counts one request for `key`. When the limit is used up, answers 429 with `retry-after` (whole seconds) and the
 * same message tRPC callers get, and returns false: the route must stop there.
 */
export async function allowedByRateLimit(
  reply: FastifyReply,
  limiter: UserRateLimiter,
  key: string,
): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch (error) {
    if (!isAppError(error) || error.code !== 'TOO_MANY_REQUESTS') throw error;
    await reply
      .code(429)
      .header('retry-after', String(retryAfterSeconds(error.retryAfterMs ?? 1_000)))
      .send({ error: 'too_many_requests', message: error.message, retryAfterMs: error.retryAfterMs ?? null });
    return false;
  }
}

/**
 * tRPC's responseMeta: a `retry-after` header when any call of the (possibly batched) request failed with an AppError
 * that says when to try again (rate limits, an unavailable upstream). The longest wait wins.
 */
export function retryAfterHeader({ errors }: { errors: TRPCError[] }): { headers?: Record<string, string> } {
  let longestMs = 0;
  for (const error of errors) {
    if (isAppError(error.cause) && error.cause.retryAfterMs)
      longestMs = Math.max(longestMs, error.cause.retryAfterMs);
  }
  return longestMs > 0 ? { headers: { 'retry-after': String(retryAfterSeconds(longestMs)) } } : {};
}
