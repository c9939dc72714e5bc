import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { publicProcedure } from '../trpc/init';
import { noInput } from './schemas';

export const meRouter = {
  /** Who is calling, or null: lets the SPA decide between the app and the sign-in page. */
  get: publicProcedure
    .input(noInput)
    .output(z.object({ id: z.string(), email: z.string(), name: z.string(), via: z.enum(['session', 'token']) }).nullable())
    .query(({ ctx }) => ctx.user),
} satisfies TRPCRouterRecord;
