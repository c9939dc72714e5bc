import { listAttemptsToday, listEventsForVideo, listGenerationsForVideo, listPastDurations } from '@sora-monitor/db';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { isTerminal, isThumbnailRetryDue, spendCapPricing, spendToday } from '../domain';
import {
  cancelAutoRetry,
  createAndStartGeneration,
  deriveVideo,
  generationStateFromVideo,
  resetGeneration,
  retryThumbnail,
  retryVideo,
  startGeneration,
  toStatusView,
} from '../generations';
import { protectedProcedure, videoIdInput, videoProcedure } from '../trpc/init';
import { rateLimitedProcedure, rateLimitedVideoProcedure } from '../trpc/rate-limited';
import { sourceVideoProcedure } from '../trpc/source-procedure';
import { rateLimitedVideoInputProcedure } from '../trpc/video-input-procedure';
import { newVideoFromInput } from './new-video';
import { onUpdateProcedure } from './sora-subscription';
import {
  attemptSchema,
  createVideoInput,
  deriveVideoInput,
  eventSchema,
  extendVideoInput,
  noInput,
  spendTodaySchema,
  statusViewSchema,
  videoSchema,
} from './schemas';
import { titleFromPrompt, toAttemptView, toEventView, toVideoView } from './views';

// generate, retry, createAndGenerate and reset share one budget: each starts a paid upstream job or (reset) lets the
// next start begin while the abandoned job may still run, so a reset-then-generate loop costs two calls.
const generateProcedure = rateLimitedVideoProcedure('generate');
const statusProcedure = rateLimitedVideoProcedure('status');
const retryProcedure = rateLimitedVideoInputProcedure(videoIdInput.extend({ prompt: createVideoInput.shape.prompt.optional() }), 'generate');

const HISTORY_EVENT_LIMIT = 500;
const PAST_DURATION_SAMPLES = 20;

export const soraRouter = {
  /** Starts a generation upstream; CONFLICT while one is active. */
  generate: generateProcedure.output(statusViewSchema).mutation(async ({ ctx }) => {
    const video = await startGeneration(ctx.generations, ctx.user.id, ctx.video.id);
    return toStatusView(video);
  }),

  /**
   * Creates a video and starts its generation in one step (the New video form, `sora-monitor new`): a start the
   * daily spend cap or the rate limit refuses records nothing, so no empty video is left behind.
   */
  createAndGenerate: rateLimitedProcedure('generate')
    .input(createVideoInput)
    .output(videoSchema)
    .mutation(async ({ ctx, input }) => {
      const video = await newVideoFromInput(ctx.generations, input, (fields) =>
        createAndStartGeneration(ctx.generations, ctx.user.id, fields),
      );
      return toVideoView(ctx.generations.settings.catalog, video);
    }),

  /** Today's spending (UTC day, estimated list price) against the daily cap: shown before a start. */
  spendToday: protectedProcedure
    .input(noInput)
    .output(spendTodaySchema)
    .query(async ({ ctx }) => {
      const { dailySpendCapUsd, catalog, unknownPriceUsdPerSecond } = ctx.generations.settings;
      return spendToday(dailySpendCapUsd, await listAttemptsToday(ctx.db, ctx.user.id), spendCapPricing(catalog, unknownPriceUsdPerSecond));
    }),

  /**
   * A user-initiated new attempt for a failed or reset generation; with `prompt`, the attempt uses that prompt
   * instead ("Edit prompt and retry"), stored on the video first (checked like a new video's prompt).
   */
  retry: retryProcedure
    .output(statusViewSchema)
    .mutation(async ({ ctx, input }) => toStatusView(await retryVideo(ctx.generations, ctx.video, input.prompt))),

  /**
   * The seed's status endpoint. Terminal generations come from the database with no upstream call; active ones are
   * refreshed when the stored state is older than the freshness window, through the one shared refresh path.
   */
  status: statusProcedure.output(statusViewSchema).query(async ({ ctx }) => {
    if (isTerminal(ctx.video.soraGenerationStatus) || ctx.video.soraGenerationStatus === 'not_started') {
      // A completed video whose thumbnail could not be fetched gets a later try, when one is due.
      const withThumbnail = isThumbnailRetryDue(generationStateFromVideo(ctx.video), new Date()) ? await retryThumbnail(ctx.generations, ctx.video.id) : null;
      return toStatusView(withThumbnail ?? ctx.video);
    }
    // Someone is looking: this process keeps the video fresh while they do, whatever their own polling rhythm.
    ctx.watched.touch(ctx.user.id, ctx.video.id);
    // That refresh does the asking (see statusFreshForMs). A status request only looks: what it finds is recorded as a
    // background check, not as the owner's doing. The row the ownership check read decides whether asking is due at all.
    const refreshed = await ctx.refresh(ctx.video.id, {
      actor: 'poller',
      freshForMs: ctx.watched.statusFreshForMs,
      known: { video: ctx.video, dbNowMs: ctx.videoReadAtMs },
    });
    return refreshed ? toStatusView(refreshed.video, refreshed.outcome) : toStatusView(ctx.video);
  }),

  /** Drops a planned automatic retry: the failed generation stays failed until the owner retries it. */
  cancelAutoRetry: videoProcedure
    .output(statusViewSchema)
    .mutation(({ ctx }) => cancelAutoRetry(ctx.generations, ctx.user.id, ctx.video.id)),

  reset: generateProcedure
    .output(z.object({ success: z.literal(true), message: z.string() }))
    .mutation(({ ctx }) => resetGeneration(ctx.generations, ctx.user.id, ctx.video.id)),

  /** Every attempt and the audit log, newest first. */
  history: videoProcedure
    .output(
      z.object({
        attempts: z.array(attemptSchema),
        events: z.array(eventSchema),
      }),
    )
    .query(async ({ ctx }) => {
      const [attempts, events] = await Promise.all([
        listGenerationsForVideo(ctx.db, ctx.video.id),
        listEventsForVideo(ctx.db, ctx.video.id, { limit: HISTORY_EVENT_LIMIT }),
      ]);
      return { attempts: attempts.map(toAttemptView), events: events.map(toEventView) };
    }),

  /**
   * How long generations like this one usually take: the basis for "time remaining" before progress moves. Drawn from
   * everyone's recent generations, so it is aggregated: at most one value, the median to the second, and only once
   * there are enough samples that it says nothing about any one user's video.
   */
  pastDurations: videoProcedure.output(z.object({ durationsMs: z.array(z.number()) })).query(async ({ ctx }) => {
    const samples = await listPastDurations(ctx.db, {
      model: ctx.video.model,
      size: ctx.video.size,
      seconds: ctx.video.seconds,
      limit: PAST_DURATION_SAMPLES,
    });
    return { durationsMs: aggregatePastDurations(samples) };
  }),

  /**
   * A new video remixed from one of your completed videos (openai `videos.remix`), started at once and followed like
   * any generation. Another user's source is NOT_FOUND; a source that is not completed, or whose model cannot be
   * remixed, is BAD_REQUEST; nothing is sent upstream or billed then.
   */
  remix: sourceVideoProcedure(deriveVideoInput)
    .output(videoSchema)
    .mutation(async ({ ctx, input }) =>
      toVideoView(ctx.generations.settings.catalog, await deriveVideo(ctx.generations, ctx.source, { operation: 'remix', prompt: input.prompt, title: titleFromPrompt(input.prompt) })),
    ),

  /** A new video editing one of your completed videos with a prompt (openai `videos.edit`); rules as for remix. */
  edit: sourceVideoProcedure(deriveVideoInput)
    .output(videoSchema)
    .mutation(async ({ ctx, input }) =>
      toVideoView(ctx.generations.settings.catalog, await deriveVideo(ctx.generations, ctx.source, { operation: 'edit', prompt: input.prompt, title: titleFromPrompt(input.prompt) })),
    ),

  /** A new video continuing one of your completed videos by `seconds` (openai `videos.extend`); rules as for remix. */
  extend: sourceVideoProcedure(extendVideoInput)
    .output(videoSchema)
    .mutation(async ({ ctx, input }) =>
      toVideoView(
        ctx.generations.settings.catalog,
        await deriveVideo(ctx.generations, ctx.source, {
          operation: 'extend',
          prompt: input.prompt,
          extensionSeconds: input.seconds,
          title: titleFromPrompt(input.prompt),
        }),
      ),
    ),

  onUpdate: onUpdateProcedure,
} satisfies TRPCRouterRecord;

/** Fewer samples than this give no estimate: one or two would be someone's own timings, readable by anyone. */
export const MIN_PAST_DURATION_SAMPLES = 3;

/** The median of the samples, rounded to the second, as the one value clients estimate from; [] when too few. */
export function aggregatePastDurations(samples: readonly number[]): number[] {
  if (samples.length < MIN_PAST_DURATION_SAMPLES) return [];
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return [Math.max(1_000, Math.round(median / 1_000) * 1_000)];
}
