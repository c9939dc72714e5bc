import { getVideoForUser, isDatabaseUnavailableError } from '@sora-monitor/db';
import { tracked, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { AppError } from '../domain';
import { CHANGE_PAGE_SIZE, type DirectDelivery } from '../events/video-change-hub';
import { latestEventId } from '../generations';
import { toTRPCError } from '../trpc/errors';
import type { AppContext } from '../trpc/context';
import { protectedProcedure, SSE_PING_INTERVAL_MS } from '../trpc/init';
import { changeMessages } from './change-messages';
import { toVideoView } from './views';

/** How often an open stream looks again while the database is unreachable. */
const DATABASE_RETRY_MS = 1_000;
/** A sign-out (or a revoked token) ends an open stream within one ping interval. */
const SESSION_RECHECK_MS = SSE_PING_INTERVAL_MS;
/** A wait's timer may fire this much before the clock says the check is due (timers run on the loop's cached time). */
const TIMER_SLACK_MS = 100;

/**
 * When a user's streams check their session: on a clock shared by all of them, not each stream's own start, so the
 * streams of one session ask together and share one lookup (ctx.reauthenticate) instead of a thousand spread out.
 * Each user has a phase of the interval of their own, so different users' checks do not all fall on the same instant.
 */
function sessionCheckClock(userId: string): (nowMs: number) => number {
  let phaseMs = 0;
  for (let i = 0; i < userId.length; i++) phaseMs = (phaseMs * 31 + userId.charCodeAt(i)) % SESSION_RECHECK_MS;
  return (nowMs) => (Math.floor((nowMs - phaseMs) / SESSION_RECHECK_MS) + 1) * SESSION_RECHECK_MS + phaseMs;
}

async function assertStillSignedIn(
  ctx: Pick<AppContext, 'reauthenticate'>,
  userId: string,
  checkAt: number,
): Promise<void> {
  // A failed lookup (the database away: better-auth then throws without the cause) is no evidence of a sign-out.
  const current = await ctx.reauthenticate(checkAt).catch(() => undefined);
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
  // internal error from a stream that already began. Where the stream starts is read here too: a client told the
  // stream has started gets every change committed from then on, even if the database goes away before the stream's
  // first read (read inside the generator, the cursor would skip whatever was committed until the database returned).
  .use(async ({ ctx, input, next }) => {
    if (input.videoId && !(await getVideoForUser(ctx.db, ctx.user.id, input.videoId))) {
      throw toTRPCError(new AppError('NOT_FOUND', 'Video not found'));
    }
    const startCursor = input.lastEventId ? Number(input.lastEventId) : await latestEventId(ctx.db, ctx.user.id, input.videoId);
    return next({ ctx: { startCursor } });
  })
  // One of the user's stream slots, taken before the stream starts so a refusal is a plain TOO_MANY_REQUESTS (429).
  // Given back when the stream ends, or when the request is aborted before the stream ever ran. Giving it back also
  // takes the abort listener off: a caller's signal can outlive many streams (an in-process client's).
  .use(async ({ ctx, signal, next }) => {
    const giveBack = ctx.userCaps.openSubscription(ctx.user.id);
    const releaseSlot = () => {
      signal?.removeEventListener('abort', releaseSlot);
      giveBack();
    };
    signal?.addEventListener('abort', releaseSlot, { once: true });
    // A request gone before its stream was set up (a closed tab, a server shutting down) never fires that listener.
    if (signal?.aborted) releaseSlot();
    const result = await next({ ctx: { releaseSlot } });
    if (!result.ok) releaseSlot();
    return result;
  })
  .subscription(async function* ({ ctx, input, signal }) {
    const userId = ctx.user.id;
    const videoId = input.videoId;
    const { catalog } = ctx.generations.settings;

    const changes = ctx.videoChanges.subscribe(userId);
    // A stream for one video is someone watching it: keep it fresh from here while the stream is open.
    const unwatch = videoId ? ctx.watched.hold(userId, videoId) : () => {};
    try {
      let cursor = ctx.startCursor;
      // A fresh watcher of one video gets its current state first (inside the loop: the database may be away).
      let currentStateDue = !input.lastEventId;
      // An SSE response can take this stream's changes while it waits: the hub then reads each change once for all the
      // user's streams at the same cursor and writes it to each, without resuming them one by one.
      const sink = ctx.streamSink;
      const direct: DirectDelivery | undefined = sink && {
        videoId,
        cursor: () => cursor,
        deliver(page) {
          for (const message of changeMessages(page, catalog)) {
            const accepted = !message.data || sink(tracked(message.id, message.data));
            cursor = message.eventId;
            if (!accepted) return false;
          }
          return page.events.length < CHANGE_PAGE_SIZE;
        },
      };
      const nextSessionCheckAfter = sessionCheckClock(userId);
      let sessionCheckAt = nextSessionCheckAfter(Date.now());
      while (!signal?.aborted) {
        try {
          if (videoId && currentStateDue) {
            const current = await getVideoForUser(ctx.db, userId, videoId);
            if (current) yield tracked(String(cursor), { event: null, video: toVideoView(catalog, current) });
            currentStateDue = false;
          }
          // Shared with every other subscriber of this user at the same cursor (one read per change, not one each).
          const page = await ctx.videoChanges.read(userId, cursor, videoId);
          for (const message of changeMessages(page, catalog)) {
            if (message.data) yield tracked(message.id, message.data);
            // Moved past only once handed out: if the stream fails before (database gone), this event is read again.
            cursor = message.eventId;
          }
          // A page held back by an older open transaction has the hub ring everyone again shortly (read shares it).
          const untilSessionCheck = Math.max(0, sessionCheckAt - Date.now());
          if (page.events.length < CHANGE_PAGE_SIZE) await changes.wait(signal, untilSessionCheck, direct);
          if (!signal?.aborted && Date.now() >= sessionCheckAt - TIMER_SLACK_MS) {
            await assertStillSignedIn(ctx, userId, sessionCheckAt);
            sessionCheckAt = nextSessionCheckAfter(Date.now() + TIMER_SLACK_MS);
          }
        } catch (error) {
          if (!isDatabaseUnavailableError(error)) throw error;
          // The database is away for now: keep the stream open (pings go on) and look again shortly. Ending it would
          // make the client reconnect into 503s, which EventSource treats as final; the LISTEN reconnect rings us.
          await changes.wait(signal, DATABASE_RETRY_MS);
        }
      }
    } finally {
      unwatch();
      changes.close();
      ctx.releaseSlot();
    }
  });
