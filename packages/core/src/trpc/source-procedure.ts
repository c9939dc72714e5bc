import { getVideoForUser } from '@sora-monitor/db';
import type { z } from 'zod';
import { AppError } from '../domain';
import { toTRPCError } from './errors';
import { protectedProcedure } from './init';

/**
 * A procedure that makes a new video from one of the caller's videos (remix, edit, extend). Its input holds the
 * source's `videoId` with the operation's own fields, in one strict object; the source is loaded scoped to the
 * caller, so another user's video is NOT_FOUND exactly like a random id, before any rule, write or upstream call.
 * Like sora.generate it then counts against the caller's `generate` limit: each starts a paid job.
 */
export function sourceVideoProcedure<Input extends z.ZodType<{ videoId: string }>>(input: Input) {
  return protectedProcedure
    .input(input)
    .use(async ({ ctx, input: { videoId }, next }) => {
      const source = await getVideoForUser(ctx.db, ctx.user.id, videoId);
      if (!source) throw toTRPCError(new AppError('NOT_FOUND', 'Video not found'));
      await ctx.rateLimits.generate.consume(ctx.user.id);
      return next({ ctx: { source } });
    });
}
