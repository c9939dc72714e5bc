import { getVideoForUserWithClock, isDatabaseUnavailableError } from '@sora-monitor/db';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';
import { AppError, isAppError } from '../domain';
import type { AppContext } from './context';
import { databaseUnavailableError, toTRPCError } from './errors';
import { internalErrorMessage } from './internal-error';

/** How often an open SSE stream is pinged; also how often it re-checks that its caller is still signed in. */
export const SSE_PING_INTERVAL_MS = 10_000;

const t = initTRPC.context<AppContext>().create({
  errorFormatter({ shape, error, ctx }) {
    // Validation errors travel flattened so clients can show each message next to its field.
    const zodError = error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
    const appError = isAppError(error.cause) ? { field: error.cause.field ?? null, retryAfterMs: error.cause.retryAfterMs ?? null } : null;
    // An unexpected error's text (driver message, SQL, hosts) stays in the log unless the server exposes errors
    // (development). AppErrors are written for users and keep theirs. No ctx (context creation failed) masks too.
    const masked = error.code === 'INTERNAL_SERVER_ERROR' && !appError && !ctx?.exposeErrors;
    const message = masked ? internalErrorMessage(ctx?.requestId) : shape.message;
    return { ...shape, message, data: { ...shape.data, stack: undefined, zodError, appError } };
  },
  sse: {
    // A ping keeps proxies from closing idle streams; the client reconnects if pings stop arriving.
    ping: { enabled: true, intervalMs: SSE_PING_INTERVAL_MS },
    client: { reconnectAfterInactivityMs: 25_000 },
  },
});

/** Domain errors become the matching tRPC error, with their user-facing message; so does a database outage. */
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isAppError(result.error.cause)) throw toTRPCError(result.error.cause);
  if (!result.ok && isDatabaseUnavailableError(result.error.cause)) throw toTRPCError(databaseUnavailableError(result.error.cause));
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapAppErrors);

/**
 * Signed-in callers only; narrows `ctx.user` so handlers never check again. Middlewares hand `next` only what they
 * add: tRPC merges it into the context (spreading the whole context again in each layer was a measurable part of a
 * status request).
 */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
  return next({ ctx: { user: ctx.user } });
});

export const videoIdInput = z.strictObject({ videoId: z.uuid({ message: 'videoId must be a UUID' }) });

/**
 * Every procedure that takes a videoId loads it scoped to the caller: another user's video is NOT_FOUND, exactly
 * like a random id, before any upstream call or write can happen. `videoReadAtMs` is the database clock at that read.
 */
export const videoProcedure = protectedProcedure.input(videoIdInput).use(async ({ ctx, input, next }) => {
  const found = await getVideoForUserWithClock(ctx.db, ctx.user.id, input.videoId);
  if (!found) throw toTRPCError(new AppError('NOT_FOUND', 'Video not found'));
  return next({ ctx: { video: found.video, videoReadAtMs: found.dbNowMs } });
});
