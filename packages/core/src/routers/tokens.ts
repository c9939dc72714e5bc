import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken } from '../auth';
import { AppError } from '../domain';
import { protectedProcedure } from '../trpc/init';
import { hasNoNul, NO_NUL_MESSAGE, noInput } from './schemas';

/** Only a browser session manages tokens: a leaked token must not be able to mint more. */
const sessionProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.via !== 'session') throw new AppError('FORBIDDEN', 'API tokens can only be managed from a signed-in browser session.');
  return next();
});

const tokenSummary = z.object({ id: z.string(), name: z.string().nullable(), start: z.string().nullable(), createdAt: z.string() });

export const tokensRouter = {
  create: sessionProcedure
    .input(z.strictObject({ name: z.string().trim().min(1, 'name must not be empty').max(100, 'name must be at most 100 characters').refine(hasNoNul, `name ${NO_NUL_MESSAGE}`) }))
    .output(z.object({ id: z.string(), name: z.string().nullable(), token: z.string(), createdAt: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const created = await createApiToken(ctx.auth, ctx.headers, input.name);
      return { ...created, createdAt: new Date(created.createdAt).toISOString() };
    }),

  list: sessionProcedure.input(noInput).output(z.array(tokenSummary)).query(async ({ ctx }) => {
    const tokens = await listApiTokens(ctx.auth, ctx.headers);
    return tokens.map((token) => ({ ...token, start: token.start ?? null, createdAt: new Date(token.createdAt).toISOString() }));
  }),

  revoke: sessionProcedure
    .input(z.strictObject({ id: z.string().min(1).max(200).refine(hasNoNul, `id ${NO_NUL_MESSAGE}`) }))
    .output(z.object({ success: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await revokeApiToken(ctx.auth, ctx.headers, input.id);
      return { success: true as const };
    }),
} satisfies TRPCRouterRecord;
