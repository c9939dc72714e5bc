import { createAuthMiddleware } from 'better-auth/api';

const SESSION_ISSUING_PATHS = new Set(['/sign-in/email', '/sign-up/email']);

/**
 * After-hook: when a browser that still holds a session signs in (or up) again, the session it
 * held is deleted, so a cookie planted or copied before sign-in is worth nothing afterwards.
 */
export const revokePreviousSessionOnSignIn = createAuthMiddleware(async (ctx) => {
  if (!SESSION_ISSUING_PATHS.has(ctx.path)) return;
  const issued = ctx.context.newSession;
  if (!issued) return;
  const { sessionToken } = ctx.context.authCookies;
  const previousToken = await ctx.getSignedCookie(sessionToken.name, ctx.context.secret);
  if (previousToken && previousToken !== issued.session.token) {
    await ctx.context.internalAdapter.deleteSession(previousToken);
  }
});
