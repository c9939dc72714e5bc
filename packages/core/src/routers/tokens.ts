import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { API_TOKEN_NAME_MAX_LENGTH, createApiToken, listApiTokens, revokeApiToken } from '../auth';
import { AppError } from '../domain';
import { protectedProcedure } from '../trpc/init';
import { hasNoNul, NO_NUL_MESSAGE, noInput } from './schemas';

/** Only a browser session manages tokens: a leaked token must not be able to mint more. */
const sessionProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.via !== 'session') throw new AppError('FORBIDDEN', 'API tokens can only be managed from a signed-in browser session.');
  return next();
});

const tokenName = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(API_TOKEN_NAME_MAX_LENGTH, `name must be at most ${API_TOKEN_NAME_MAX_LENGTH} characters`)
  .refine(hasNoNul, `name ${NO_NUL_MESSAGE}`);

const tokenSummary = z.object({ id: z.string(), name: z.string().nullable(), start: z.string().nullable(), createdAt: z.string() });

export const tokensRouter = {
  create: sessionProcedure
    .input(z.strictObject({ name: tokenName }))
    .output(z.object({ id: z.string(), name: z.string().nullable(), token: z.string(), createdAt: z.string() }))
    .use(async ({ ctx, next }) => {
      await ctx.rateLimits.tokenCreate.consume(ctx.user.id);
      return next();
    })
    .mutation(async ({ ctx, input }) => {
      const max = ctx.userCaps.settings.apiTokensPerUser;
      const tooMany = () =>
        new AppError('FORBIDDEN', `You already have ${max} API tokens, the most one account may hold; revoke one you no longer use first.`);
      if ((await listApiTokens(ctx.auth, ctx.headers)).length >= max) throw tooMany();
      const created = await createApiToken(ctx.auth, ctx.headers, input.name);
      // Counted again after: of concurrent creates that passed the first check together, the ones over the cap are
      // taken back, so an account never keeps more than the cap.
      const tokens = await listApiTokens(ctx.auth, ctx.headers);
      if (tokens.length > max) {
        await revokeApiToken(ctx.auth, ctx.headers, created.id);
        throw tooMany();
      }
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
