import { getVideoForUser } from '@sora-monitor/db';
import type { z } from 'zod';
import { AppError } from '../domain';
import type { UserRateLimits } from '../rate-limits/user-rate-limits';
import { toTRPCError } from './errors';
import { protectedProcedure } from './init';

/**
 * `rateLimitedVideoProcedure` for an input with fields of its own next to `videoId`, in one strict object (tRPC's
 * chained inputs would each reject the other's keys). The video is loaded scoped to the caller (another user's is
 * NOT_FOUND, like a random id) before the request is counted against the caller's limit `name`.
 */
export function rateLimitedVideoInputProcedure<Input extends z.ZodType<{ videoId: string }>>(input: Input, name: keyof UserRateLimits) {
  return protectedProcedure.input(input).use(async ({ ctx, input: { videoId }, next }) => {
    const video = await getVideoForUser(ctx.db, ctx.user.id, videoId);
    if (!video) throw toTRPCError(new AppError('NOT_FOUND', 'Video not found'));
    await ctx.rateLimits[name].consume(ctx.user.id);
    return next({ ctx: { video } });
  });
}
