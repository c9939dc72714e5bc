import { getVideoForUser } from '@sora-monitor/db';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';
import { AppError, isAppError } from '../domain';
import type { AppContext } from './context';
import { toTRPCError } from './errors';

const t = initTRPC.context<AppContext>().create({
  errorFormatter({ shape, error }) {
    // Validation errors travel flattened so clients can show each message next to its field.
    const zodError = error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
    const appError = isAppError(error.cause) ? { field: error.cause.field ?? null, retryAfterMs: error.cause.retryAfterMs ?? null } : null;
    return { ...shape, data: { ...shape.data, stack: undefined, zodError, appError } };
  },
  sse: {
    // A ping keeps proxies from closing idle streams; the client reconnects if pings stop arriving.
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 25_000 },
  },
});

/** Domain errors become the matching tRPC error, with their user-facing message. */
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isAppError(result.error.cause)) throw toTRPCError(result.error.cause);
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapAppErrors);

/** Signed-in callers only; narrows `ctx.user` so handlers never check again. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const videoIdInput = z.strictObject({ videoId: z.uuid({ message: 'videoId must be a UUID' }) });

/**
 * Every procedure that takes a videoId loads it scoped to the caller: another user's video is NOT_FOUND, exactly
 * like a random id, before any upstream call or write can happen.
 */
export const videoProcedure = protectedProcedure.input(videoIdInput).use(async ({ ctx, input, next }) => {
  const video = await getVideoForUser(ctx.db, ctx.user.id, input.videoId);
  if (!video) throw toTRPCError(new AppError('NOT_FOUND', 'Video not found'));
  return next({ ctx: { ...ctx, video } });
});
