import type { TRPCRouterRecord } from '@trpc/server';
import { protectedProcedure } from '../trpc/init';
import { usageReport } from './usage-report';
import { usageInput, usageReportSchema, usageSummarySchema } from './usage-schemas';

export const usageRouter = {
  /** The usage page: summary numbers and every chart's data for 7, 30 or 90 days in the caller's time zone. */
  report: protectedProcedure
    .input(usageInput)
    .output(usageReportSchema)
    .query(({ ctx, input }) => usageReport(ctx.db, ctx.generations.settings, { userId: ctx.user.id, ...input })),

  /** Only the numbers at the top (`sora-monitor usage`). */
  summary: protectedProcedure
    .input(usageInput)
    .output(usageSummarySchema)
    .query(async ({ ctx, input }) => (await usageReport(ctx.db, ctx.generations.settings, { userId: ctx.user.id, ...input })).summary),
} satisfies TRPCRouterRecord;
