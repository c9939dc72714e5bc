import { getVideoForUser, listEventsForUserSince, type Video } from '@sora-monitor/db';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { AppError } from '../domain';
import { latestEventId } from '../generations';
import { toTRPCError } from '../trpc/errors';
import { protectedProcedure } from '../trpc/init';
import { toEventView, toVideoView } from './views';

const PAGE = 100;
const HELD_BACK_RECHECK_MS = 250;

const onUpdateInput = z.strictObject({
  videoId: z.uuid({ message: 'videoId must be a UUID' }).optional(),
  /** Sent back by the client on reconnect (SSE Last-Event-ID): resume right after it. */
  lastEventId: z.string().regex(/^\d+$/, 'lastEventId must be an event id').nullish(),
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
      while (!signal?.aborted) {
        const { events, heldBack } = await listEventsForUserSince(ctx.db, userId, cursor, { videoId, limit: PAGE });
        const latest = new Map<string, Video | null>();
        for (const event of events) {
          cursor = event.id;
          if (!latest.has(event.videoId))
            latest.set(event.videoId, await getVideoForUser(ctx.db, userId, event.videoId));
          const video = latest.get(event.videoId);
          if (video)
            yield tracked(String(event.id), { event: toEventView(event), video: toVideoView(video) });
        }
        // Held back by an older open transaction: its end sends no hint, so look again shortly.
      if (events.length < PAGE) await changes.wait(signal, heldBack ? HELD_BACK_RECHECK_MS : undefined);
      }
    } finally {
      changes.close();
    }
  });
