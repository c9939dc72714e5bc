import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { publicProcedure } from '../trpc/init';

export const meRouter = {
  /** Who is calling, or null: lets the SPA decide between the app and the sign-in page. */
  get: publicProcedure
    .output(z.object({ id: z.string(), email: z.string(), name: z.string(), via: z.enum(['session', 'token']) }).nullable())
    .query(({ ctx }) => ctx.user),
} satisfies TRPCRouterRecord;
