import { countVideosByStatus, listFailureCodesForUser, listVideosForUser } from '@sora-monitor/db';
import { errorCodesOfKinds } from '../domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { createVideoRecord, deleteVideo, latestEventId } from '../generations';
import { protectedProcedure, videoProcedure } from '../trpc/init';
import { rateLimitedProcedure } from '../trpc/rate-limited';
import { newVideoFromInput } from './new-video';
import { createVideoInput, generationStatusSchema, listVideosInput, noInput, videoSchema } from './schemas';
import { bulkVideosProcedure } from './videos-bulk';
import { toVideoView } from './views';

export const videosRouter = {
  create: rateLimitedProcedure('videoCreate')
    .input(createVideoInput)
    .output(videoSchema)
    .mutation(async ({ ctx, input }) => {
      const video = await newVideoFromInput(ctx.generations, input, (fields) =>
        createVideoRecord(ctx.db, { ...fields, userId: ctx.user.id }),
      );
      return toVideoView(ctx.generations.settings.catalog, video);
    }),

  list: protectedProcedure
    .input(listVideosInput)
    .output(z.object({ items: z.array(videoSchema), nextCursor: z.string().nullable(), eventCursor: z.string() }))
    .query(async ({ ctx, input }) => {
      // Where the list stands in the user's changes, read before the list: a live-update stream started from it
      // (`sora.onUpdate` with this as lastEventId) carries every change the list does not show yet, even one committed
      // before the stream opened, or while it reconnects before its first message.
      const eventCursor = String(await latestEventId(ctx.db, ctx.user.id));
      // The cursor arrives decoded (listVideosInput refuses one that does not decode, or belongs to another sort).
      const { stuck, failureKind, ...options } = input;
      // A kind is told from the error code by the domain's rules: the user's few distinct codes are classified here.
      const kinds = failureKind === undefined ? null : typeof failureKind === 'string' ? [failureKind] : failureKind;
      const page = await listVideosForUser(ctx.db, ctx.user.id, {
        ...options,
        stuckTimeoutMs: stuck ? ctx.generations.settings.stuckTimeoutMs : undefined,
        failedWithCodes: kinds ? errorCodesOfKinds(await listFailureCodesForUser(ctx.db, ctx.user.id), kinds) : undefined,
      });
      return {
        items: page.items.map((video) => toVideoView(ctx.generations.settings.catalog, video)),
        nextCursor: page.nextCursor,
        eventCursor,
      };
    }),

  /** How many videos the user has in each status: one grouped read, independent of any search or filter. */
  counts: protectedProcedure
    .input(noInput)
    .output(z.object({ byStatus: z.record(generationStatusSchema, z.number().int()), total: z.number().int() }))
    .query(async ({ ctx }) => {
      const byStatus = await countVideosByStatus(ctx.db, ctx.user.id);
      return { byStatus, total: Object.values(byStatus).reduce((sum, n) => sum + n, 0) };
    }),

  get: videoProcedure.output(videoSchema).query(({ ctx }) => toVideoView(ctx.generations.settings.catalog, ctx.video)),

  delete: videoProcedure.output(z.object({ success: z.literal(true) })).mutation(async ({ ctx }) => {
    await deleteVideo(ctx.generations, ctx.video);
    return { success: true as const };
  }),

  /** Retry, reset or delete several videos in one request, each under its single-video rules; outcomes per video. */
  bulk: bulkVideosProcedure,
} satisfies TRPCRouterRecord;
