import { listEventsForVideo, listGenerationsForVideo, listPastDurations } from '@sora-monitor/db';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { AppError, isTerminal } from '../domain';
import { resetGeneration, startGeneration, toStatusView } from '../generations';
import { videoProcedure } from '../trpc/init';
import { rateLimitedVideoProcedure } from '../trpc/rate-limited';
import { onUpdateProcedure } from './sora-subscription';
import { attemptSchema, eventSchema, statusViewSchema } from './schemas';
import { toAttemptView, toEventView } from './views';

// generate and retry share one budget: both start a paid upstream job.
const generateProcedure = rateLimitedVideoProcedure('generate');
const statusProcedure = rateLimitedVideoProcedure('status');

const HISTORY_EVENT_LIMIT = 500;
const PAST_DURATION_SAMPLES = 20;

export const soraRouter = {
  /** Starts a generation upstream; CONFLICT while one is active. */
  generate: generateProcedure.output(statusViewSchema).mutation(async ({ ctx }) => {
    const video = await startGeneration(ctx.generations, ctx.user.id, ctx.video.id);
    return toStatusView(video);
  }),

  /** A user-initiated new attempt for a failed or reset generation. */
  retry: generateProcedure.output(statusViewSchema).mutation(async ({ ctx }) => {
    const status = ctx.video.soraGenerationStatus;
    if (status === 'completed') throw new AppError('BAD_REQUEST', 'This video is already complete; there is nothing to retry.');
    if (status === 'not_started' && !ctx.video.currentGenerationId) {
      throw new AppError('BAD_REQUEST', 'This video has not been generated yet; start a generation instead.');
    }
    const video = await startGeneration(ctx.generations, ctx.user.id, ctx.video.id);
    return toStatusView(video);
  }),

  /**
   * The seed's status endpoint. Terminal generations come from the database with no upstream call; active ones are
   * refreshed when the stored state is older than the freshness window, through the one shared refresh path.
   */
  status: statusProcedure.output(statusViewSchema).query(async ({ ctx }) => {
    if (isTerminal(ctx.video.soraGenerationStatus) || ctx.video.soraGenerationStatus === 'not_started') {
      return toStatusView(ctx.video);
    }
    const refreshed = await ctx.refresh(ctx.video.id, {
      actor: 'user',
      freshForMs: ctx.generations.settings.statusFreshnessMs,
    });
    return refreshed ? toStatusView(refreshed.video, refreshed.outcome) : toStatusView(ctx.video);
  }),

  reset: videoProcedure
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

  /** Durations of recent completed generations like this one: the basis for "time remaining" before progress moves. */
  pastDurations: videoProcedure.output(z.object({ durationsMs: z.array(z.number()) })).query(async ({ ctx }) => ({
    durationsMs: await listPastDurations(ctx.db, {
      model: ctx.video.model,
      size: ctx.video.size,
      seconds: ctx.video.seconds,
      limit: PAST_DURATION_SAMPLES,
    }),
  })),

  onUpdate: onUpdateProcedure,
} satisfies TRPCRouterRecord;
