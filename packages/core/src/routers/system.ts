import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { publicProcedure } from '../trpc/init';
import { noInput } from './schemas';

const healthOutput = z.object({
  ok: z.boolean(),
  version: z.string(),
  provider: z.object({ simulated: z.boolean(), baseURL: z.string() }),
  /** Server settings the UI explains things with (e.g. when a generation counts as stuck). */
  settings: z.object({ stuckTimeoutMs: z.number(), pollIntervalMs: z.number(), maxAttempts: z.number() }),
  database: z.object({
    kind: z.enum(['postgres', 'pglite']),
    reachable: z.boolean(),
    migrated: z.boolean(),
    error: z.string().optional(),
  }),
});

export const systemRouter = {
  /** The first thing the web app shows: is the server up, is its database ready, is the provider simulated. */
  health: publicProcedure.input(noInput).output(healthOutput).query(async ({ ctx }) => {
    const { database } = await ctx.readiness();
    return {
      ok: database.reachable && database.migrated,
      version: ctx.version,
      provider: ctx.provider,
      settings: {
        stuckTimeoutMs: ctx.generations.settings.stuckTimeoutMs,
        pollIntervalMs: ctx.generations.settings.pollIntervalMs,
        maxAttempts: ctx.generations.settings.maxAttempts,
      },
      database,
    };
  }),
} satisfies TRPCRouterRecord;
