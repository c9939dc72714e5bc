import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { publicProcedure } from '../trpc/init';

const healthOutput = z.object({
  ok: z.boolean(),
  version: z.string(),
  provider: z.object({ simulated: z.boolean(), baseURL: z.string() }),
  database: z.object({
    kind: z.enum(['postgres', 'pglite']),
    reachable: z.boolean(),
    migrated: z.boolean(),
    error: z.string().optional(),
  }),
});

export const systemRouter = {
  /** The first thing the web app shows: is the server up, is its database ready, is the provider simulated. */
  health: publicProcedure.output(healthOutput).query(async ({ ctx }) => {
    const { database } = await ctx.readiness();
    return {
      ok: database.reachable && database.migrated,
      version: ctx.version,
      provider: ctx.provider,
      database,
    };
  }),
} satisfies TRPCRouterRecord;
