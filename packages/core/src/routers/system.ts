import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { spendCapPricing } from '../domain';
import { protectedProcedure, publicProcedure } from '../trpc/init';
import { noInput } from './schemas';

const healthOutput = z.object({
  ok: z.boolean(),
  /** Public: the web app says so on every page, signed in or not, so a demo is never mistaken for the real thing. */
  provider: z.object({ simulated: z.boolean(), baseURL: z.string().optional() }),
  // The rest only for signed-in callers: a stranger learns ready or not ready, and whether it is a demo.
  version: z.string().optional(),
  /** Server settings the UI explains things with (e.g. when a generation counts as stuck). */
  settings: z.object({ stuckTimeoutMs: z.number(), pollIntervalMs: z.number(), maxAttempts: z.number() }).optional(),
  database: z
    .object({
      kind: z.enum(['postgres', 'pglite']),
      reachable: z.boolean(),
      migrated: z.boolean(),
      /** The driver's own words: only where errors are exposed (development); production keeps them in the log. */
      error: z.string().optional(),
    })
    .optional(),
});

const catalogModelSchema = z.object({
  name: z.string(),
  label: z.string(),
  description: z.string().nullable(),
  sizes: z.array(z.string()),
  seconds: z.array(z.number()),
  /** List price in US cents per second by size; null: unknown (shown as unknown, never $0). */
  centsPerSecond: z.record(z.string(), z.number()).nullable(),
  operations: z.object({ remix: z.boolean(), extend: z.boolean(), edit: z.boolean() }),
});

const modelsOutput = z.object({
  /** The models this server offers, the default first: exactly what `videos.create` accepts. */
  models: z.array(catalogModelSchema),
  spendCap: z.object({
    /** The daily limit per user in USD (list price); null: no limit. */
    dailyUsd: z.number().nullable(),
    /** What a second of video without a known price counts as toward the limit. */
    unknownUsdPerSecond: z.number(),
  }),
});

export const systemRouter = {
  /** The model catalog the New video form and the CLI offer, and how the daily spend limit counts unknown prices. */
  models: protectedProcedure.input(noInput).output(modelsOutput).query(({ ctx }) => {
    const { catalog, dailySpendCapUsd, unknownPriceUsdPerSecond } = ctx.generations.settings;
    return {
      models: catalog.models.map((model) => ({ ...model, sizes: [...model.sizes], seconds: [...model.seconds], operations: { ...model.operations } })),
      spendCap: { dailyUsd: dailySpendCapUsd, unknownUsdPerSecond: spendCapPricing(catalog, unknownPriceUsdPerSecond).unknownUsdPerSecond },
    };
  }),

  /** The first thing the web app shows: is the server up, is its database ready, is the provider simulated. */
  health: publicProcedure.input(noInput).output(healthOutput).query(async ({ ctx }) => {
    const { database } = await ctx.readiness();
    const ok = database.reachable && database.migrated;
    if (!ok) ctx.logger.warn({ database }, 'system.health: not ready');
    if (!ctx.user) return { ok, provider: { simulated: ctx.provider.simulated } };
    const { error, ...databaseState } = database;
    return {
      ok,
      version: ctx.version,
      provider: ctx.provider,
      settings: {
        stuckTimeoutMs: ctx.generations.settings.stuckTimeoutMs,
        pollIntervalMs: ctx.generations.settings.pollIntervalMs,
        maxAttempts: ctx.generations.settings.maxAttempts,
      },
      database: ctx.exposeErrors && error !== undefined ? { ...databaseState, error } : databaseState,
    };
  }),
} satisfies TRPCRouterRecord;
