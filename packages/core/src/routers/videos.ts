import {
  deleteVideoForUser,
  insertEvent,
  InvalidCursorError,
  insertVideo,
  listVideosForUser,
  notify,
  VIDEO_CHANGED_CHANNEL,
} from '@sora-monitor/db';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { AppError, isActive } from '../domain';
import { protectedProcedure, videoProcedure } from '../trpc/init';
import { createVideoInput, listVideosInput, videoSchema } from './schemas';
import { toVideoView } from './views';

const TITLE_FROM_PROMPT_LENGTH = 60;

function titleFromPrompt(prompt: string): string {
  const firstLine = prompt.split('\n')[0]?.trim() ?? prompt;
  return firstLine.length > TITLE_FROM_PROMPT_LENGTH ? `${firstLine.slice(0, TITLE_FROM_PROMPT_LENGTH - 1)}…` : firstLine;
}

export const videosRouter = {
  create: protectedProcedure
    .input(createVideoInput)
    .output(videoSchema)
    .mutation(async ({ ctx, input }) => {
      const video = await ctx.db.transaction(async (tx) => {
        const created = await insertVideo(tx, {
          userId: ctx.user.id,
          title: input.title ?? titleFromPrompt(input.prompt),
          prompt: input.prompt,
          model: input.model,
          size: input.size,
          seconds: input.seconds,
        });
        await insertEvent(tx, {
          videoId: created.id,
          userId: ctx.user.id,
          actor: 'user',
          type: 'created',
          toStatus: 'not_started',
          message: 'Video created.',
        });
        // Like every other change: subscribers (other tabs, the user-wide stream) hear about the new video.
        await notify(tx, VIDEO_CHANGED_CHANNEL, JSON.stringify({ videoId: created.id, userId: ctx.user.id }));
        return created;
      });
      return toVideoView(video);
    }),

  list: protectedProcedure
    .input(listVideosInput)
    .output(z.object({ items: z.array(videoSchema), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      try {
        const page = await listVideosForUser(ctx.db, ctx.user.id, input);
        return { items: page.items.map((video) => toVideoView(video)), nextCursor: page.nextCursor };
      } catch (error) {
        if (error instanceof InvalidCursorError) throw new AppError('BAD_REQUEST', 'cursor is not valid', { field: 'cursor' });
        throw error;
      }
    }),

  get: videoProcedure.output(videoSchema).query(({ ctx }) => toVideoView(ctx.video)),

  delete: videoProcedure.output(z.object({ success: z.literal(true) })).mutation(async ({ ctx }) => {
    if (isActive(ctx.video.soraGenerationStatus)) {
      throw new AppError('CONFLICT', 'This video is still generating. Reset it first, then delete it.');
    }
    const deleted = await deleteVideoForUser(ctx.db, ctx.user.id, ctx.video.id);
    if (!deleted) throw new AppError('NOT_FOUND', 'Video not found');
    await ctx.generations.blobs.deletePrefix(`videos/${ctx.video.id}/`);
    return { success: true as const };
  }),
} satisfies TRPCRouterRecord;
