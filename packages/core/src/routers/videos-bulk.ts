import { getVideoForUser, isDatabaseUnavailableError, type Video } from '@sora-monitor/db';
import { z } from 'zod';
import {
  APP_ERROR_CODES,
  AppError,
  BULK_ACTIONS,
  isAppError,
  MAX_BULK_VIDEOS,
  summarizeBulkOutcomes,
  type BulkAction,
  type BulkOutcome,
} from '../domain';
import { deleteVideo, resetGeneration, retryVideo } from '../generations';
import type { UserRateLimits } from '../rate-limits/user-rate-limits';
import type { AppContext } from '../trpc/context';
import { databaseUnavailableError } from '../trpc/errors';
import { protectedProcedure } from '../trpc/init';
import { internalErrorMessage } from '../trpc/internal-error';

export const bulkVideosInput = z.strictObject({
  action: z.enum(BULK_ACTIONS, { message: `action must be one of ${BULK_ACTIONS.join(', ')}` }),
  videoIds: z
    .array(z.uuid({ message: 'videoIds must be UUIDs' }), { message: 'videoIds must be a list of video ids' })
    .min(1, 'videoIds must name at least one video')
    .max(MAX_BULK_VIDEOS, `videoIds must name at most ${MAX_BULK_VIDEOS} videos`)
    // A UUID names the same row in any letter case.
    .refine((ids) => new Set(ids.map((id) => id.toLowerCase())).size === ids.length, 'videoIds must not name a video twice'),
});

const bulkOutcomeSchema = z.union([
  z.object({ videoId: z.string(), title: z.string().nullable(), done: z.literal(true) }),
  z.object({ videoId: z.string(), title: z.string().nullable(), done: z.literal(false), code: z.enum(APP_ERROR_CODES), message: z.string() }),
]);

type SignedInContext = AppContext & { user: NonNullable<AppContext['user']> };

/** Each action as its single-video procedure runs it once the video is loaded, with that procedure's rate limit. */
const ACTIONS: Record<BulkAction, { rateLimit: keyof UserRateLimits | null; run: (ctx: SignedInContext, video: Video) => Promise<unknown> }> = {
  // sora.retry and sora.reset share the generate budget (see sora.ts): a bulk spends it once per video, like they do.
  retry: { rateLimit: 'generate', run: (ctx, video) => retryVideo(ctx.generations, video) },
  reset: { rateLimit: 'generate', run: (ctx, video) => resetGeneration(ctx.generations, ctx.user.id, video.id) },
  delete: { rateLimit: null, run: (ctx, video) => deleteVideo(ctx.generations, video) },
};

/**
 * Retry, reset or delete several of the caller's videos, one after the other (so the daily spend cap and the rate
 * limit count each start in turn), each through exactly the checks of its single-video procedure. A refusal does not
 * stop the others; the answer says, per video, what was done and why not. Another user's video is "Video not found",
 * exactly like an id that names nothing, with no title.
 */
export const bulkVideosProcedure = protectedProcedure
  .input(bulkVideosInput)
  .output(z.object({ action: z.enum(BULK_ACTIONS), outcomes: z.array(bulkOutcomeSchema), summary: z.string() }))
  .mutation(async ({ ctx, input }) => {
    const outcomes: BulkOutcome[] = [];
    for (const videoId of input.videoIds) outcomes.push(await applyToOne(ctx, input.action, videoId));
    return { action: input.action, outcomes, summary: summarizeBulkOutcomes(input.action, outcomes) };
  });

async function applyToOne(ctx: SignedInContext, action: BulkAction, videoId: string): Promise<BulkOutcome> {
  let title: string | null = null;
  try {
    const video = await getVideoForUser(ctx.db, ctx.user.id, videoId);
    if (!video) throw new AppError('NOT_FOUND', 'Video not found');
    title = video.title;
    const { rateLimit, run } = ACTIONS[action];
    // Counted after the ownership check, as rateLimitedVideoProcedure does: a missing video costs nothing.
    if (rateLimit) await ctx.rateLimits[rateLimit].consume(ctx.user.id);
    await run(ctx, video);
    return { videoId, title, done: true };
  } catch (error) {
    return { videoId, title, done: false, ...refusal(ctx, action, videoId, error) };
  }
}

/** Why one video was not done, in the words its single-video procedure would have answered with. */
function refusal(ctx: SignedInContext, action: BulkAction, videoId: string, error: unknown): Pick<AppError, 'code' | 'message'> {
  if (isAppError(error)) return { code: error.code, message: error.message };
  if (isDatabaseUnavailableError(error)) {
    const unavailable = databaseUnavailableError(error);
    return { code: unavailable.code, message: unavailable.message };
  }
  ctx.logger.error({ err: error, action, videoId }, 'bulk action failed for one video');
  return { code: 'INTERNAL', message: ctx.exposeErrors && error instanceof Error ? error.message : internalErrorMessage(ctx.requestId) };
}
