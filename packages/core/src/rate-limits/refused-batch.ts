import type { RateLimiterRes } from 'rate-limiter-flexible';

/**
 * How much of a batch of `asked` points a refused `consume` still got. The counter is now over by the part of the
 * batch the window had no room for; the part that fit below `limit` is the caller's to use.
 */
export function grantedOfRefusedBatch(refusal: RateLimiterRes, asked: number, limit: number): number {
  return Math.max(0, Math.min(asked, limit - (refusal.consumedPoints - asked)));
}
