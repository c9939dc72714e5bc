import type { UserRateLimits } from '../rate-limits/user-rate-limits';
import { protectedProcedure, videoProcedure } from './init';

/**
 * `videoProcedure` that also counts one request against the caller's per-user limit `name`; the key is the user id,
 * so a session and an API token of one user share one budget. It runs after the ownership check (which lives in the
 * shared videoProcedure): a request for someone else's or a missing video is NOT_FOUND without being counted.
 * The AppError it throws becomes TOO_MANY_REQUESTS with data.appError.retryAfterMs (and a retry-after header over HTTP).
 */
export function rateLimitedVideoProcedure(name: keyof UserRateLimits) {
  return videoProcedure.use(async ({ ctx, next }) => {
    await ctx.rateLimits[name].consume(ctx.user.id);
    return next();
  });
}

/** `protectedProcedure` that counts one request against the caller's per-user limit `name` (before its input is used). */
export function rateLimitedProcedure(name: keyof UserRateLimits) {
  return protectedProcedure.use(async ({ ctx, next }) => {
    await ctx.rateLimits[name].consume(ctx.user.id);
    return next();
  });
}
