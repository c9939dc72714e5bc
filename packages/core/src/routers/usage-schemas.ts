import { z } from 'zod';
import { isKnownTimeZone, USAGE_RANGE_DAYS } from '../domain';
import { spendTodaySchema } from './schemas';

// An IANA name starts with a letter ("Europe/Berlin", "UTC", "Etc/GMT+5"). Offsets such as "+05:30" are refused:
// PostgreSQL reads a bare offset as a POSIX zone, with the sign reversed.
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;
const TIME_ZONE_MESSAGE = 'timeZone must be an IANA time zone name such as "Europe/Berlin" or "UTC"';

export const timeZoneSchema = z
  .string({ message: TIME_ZONE_MESSAGE })
  .trim()
  .max(64, { message: TIME_ZONE_MESSAGE })
  .superRefine((value, ctx) => {
    if (!IANA_NAME.test(value) || !isKnownTimeZone(value)) ctx.addIssue({ code: 'custom', message: `${TIME_ZONE_MESSAGE}; "${value}" is not one` });
  });

export const usageInput = z.strictObject({
  days: z.union(USAGE_RANGE_DAYS.map((days) => z.literal(days)) as [z.ZodLiteral<7>, z.ZodLiteral<30>, z.ZodLiteral<90>], {
    message: `days must be one of ${USAGE_RANGE_DAYS.join(', ')}`,
  }),
  /** The user's time zone: days start at their midnight. */
  timeZone: timeZoneSchema,
});

const windowSchema = z.object({ timeZone: z.string(), days: z.number(), firstDay: z.string(), today: z.string(), monthStart: z.string() });

export const usageSummarySchema = z.object({
  window: windowSchema,
  /** Today's spending against the daily cap, exactly as `sora.spendToday` (the cap's day is the UTC day). */
  today: spendTodaySchema,
  monthSpentUsd: z.number(),
  rangeSpentUsd: z.number(),
  /** completed / (completed + failed) in the range; resets and running attempts left out; null when none ended. */
  successRate: z.number().nullable(),
  /** Median request → ready in the range (ms); null when nothing completed. */
  medianReadyMs: z.number().nullable(),
});

export const usageChartsSchema = z.object({
  window: windowSchema,
  capUsd: z.number().nullable(),
  models: z.array(z.string()),
  spend: z.array(z.object({ day: z.string(), totalUsd: z.number(), byModel: z.record(z.string(), z.number()) })),
  outcomes: z.array(
    z.object({
      day: z.string(),
      completed: z.number(),
      reset: z.number(),
      active: z.number(),
      failed: z.record(z.string(), z.number()),
    }),
  ),
  durations: z.array(z.object({ model: z.string(), size: z.string(), count: z.number(), p50Ms: z.number(), p95Ms: z.number() })),
  failureReasons: z.array(z.object({ kind: z.string(), title: z.string(), count: z.number(), codes: z.array(z.string()) })),
});

export const usageReportSchema = z.object({ summary: usageSummarySchema, charts: usageChartsSchema });
