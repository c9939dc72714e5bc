import { getVideoForUser, isDatabaseUnavailableError, listEventsForUserSince, type Video } from '@sora-monitor/db';
import { tracked, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { AppError } from '../domain';
import { latestEventId } from '../generations';
import { toTRPCError } from '../trpc/errors';
import type { AppContext } from '../trpc/context';
import { protectedProcedure, SSE_PING_INTERVAL_MS } from '../trpc/init';
import { toEventView, toVideoView } from './views';

const PAGE = 100;
const HELD_BACK_RECHECK_MS = 250;
/** How often an open stream looks again while the database is unreachable. */
const DATABASE_RETRY_MS = 1_000;
/** A sign-out (or a revoked token) ends an open stream within one ping interval. */
const SESSION_RECHECK_MS = SSE_PING_INTERVAL_MS;

async function assertStillSignedIn(ctx: Pick<AppContext, 'reauthenticate'>, userId: string): Promise<void> {
  // A failed lookup (the database away: better-auth then throws without the cause) is no evidence of a sign-out.
  const current = await ctx.reauthenticate().catch(() => undefined);
  if (current === undefined) return;
  if (current?.id !== userId) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session has ended. Sign in again to keep following updates.' });
  }
}

const onUpdateInput = z.strictObject({
  videoId: z.uuid({ message: 'videoId must be a UUID' }).optional(),
  /** Sent back by the client on reconnect (SSE Last-Event-ID): resume right after it. */
  // At most 15 digits: a safe integer, so Number() is exact and the database never sees an out-of-range bigint.
  lastEventId: z.string().regex(/^\d{1,15}$/, 'lastEventId must be an event id').nullish(),
});

/**
 * Every change to the caller's videos (or one video) as `tracked(eventId, { event, video })`. It subscribes to
 * change hints BEFORE reading the backlog, so nothing committed in between is missed; each hint only wakes it to
 * re-read the events table from its cursor, so an update made by any server instance reaches every subscriber.
 */
export const onUpdateProcedure = protectedProcedure
  .input(onUpdateInput)
  // Checked before the stream starts (not inside the generator), so the client gets NOT_FOUND rather than an
  // internal error from a stream that already began.
  .use(async ({ ctx, input, next }) => {
    if (input.videoId && !(await getVideoForUser(ctx.db, ctx.user.id, input.videoId))) {
      throw toTRPCError(new AppError('NOT_FOUND', 'Video not found'));
    }
    return next();
  })
  .subscription(async function* ({ ctx, input, signal }) {
    const userId = ctx.user.id;
    const videoId = input.videoId;

    const changes = ctx.videoChanges.subscribe(userId);
    try {
      let cursor = input.lastEventId
        ? Number(input.lastEventId)
        : await latestEventId(ctx.db, userId, videoId);
      if (!input.lastEventId && videoId) {
        // A fresh watcher of one video gets its current state at once.
        const current = await getVideoForUser(ctx.db, userId, videoId);
        if (current) yield tracked(String(cursor), { event: null, video: toVideoView(current) });
      }
      let sessionCheckedAt = Date.now();
      while (!signal?.aborted) {
        try {
          const { events, heldBack } = await listEventsForUserSince(ctx.db, userId, cursor, { videoId, limit: PAGE });
          const latest = new Map<string, Video | null>();
          for (const event of events) {
            if (!latest.has(event.videoId))
              latest.set(event.videoId, await getVideoForUser(ctx.db, userId, event.videoId));
            const video = latest.get(event.videoId);
            if (video)
              yield tracked(String(event.id), { event: toEventView(event), video: toVideoView(video) });
            // Moved past only once handled: if the read above fails (database gone), this event is read again.
            cursor = event.id;
          }
          // Held back by an older open transaction: its end sends no hint, so look again shortly.
          const untilSessionCheck = Math.max(0, sessionCheckedAt + SESSION_RECHECK_MS - Date.now());
          if (events.length < PAGE) {
            await changes.wait(signal, heldBack ? Math.min(HELD_BACK_RECHECK_MS, untilSessionCheck) : untilSessionCheck);
          }
          if (!signal?.aborted && Date.now() - sessionCheckedAt >= SESSION_RECHECK_MS) {
            await assertStillSignedIn(ctx, userId);
            sessionCheckedAt = Date.now();
          }
        } catch (error) {
          if (!isDatabaseUnavailableError(error)) throw error;
          // The database is away for now: keep the stream open (pings go on) and look again shortly. Ending it would
          // make the client reconnect into 503s, which EventSource treats as final; the LISTEN reconnect rings us.
          await changes.wait(signal, DATABASE_RETRY_MS);
        }
      }
    } finally {
      changes.close();
    }
  });
