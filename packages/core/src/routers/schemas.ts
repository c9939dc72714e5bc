import { z } from 'zod';
import { DEFAULTS, GENERATION_STATUSES, isSizeAllowed, MODELS, PROMPT_MAX_LENGTH, SECONDS, SIZES, TITLE_MAX_LENGTH } from '../domain';

export const generationStatusSchema = z.enum(GENERATION_STATUSES);

/**
 * The input of a procedure that takes none: nothing, or an empty object. Anything else (a key, a string) is a
 * BAD_REQUEST naming what was sent, rather than silently ignored; strict like every other input.
 */
export const noInput = z.strictObject({}).optional();

/** PostgreSQL text cannot hold U+0000: refused here, it is a BAD_REQUEST naming the field instead of a database error. */
export const hasNoNul = (value: string) => !value.includes('\u0000');
export const NO_NUL_MESSAGE = 'must not contain NUL characters';

export const createVideoInput = z
  .strictObject({
    title: z.string().trim().min(1, 'title must not be empty').max(TITLE_MAX_LENGTH, `title must be at most ${TITLE_MAX_LENGTH} characters`).refine(hasNoNul, `title ${NO_NUL_MESSAGE}`).optional(),
    prompt: z.string().trim().min(1, 'prompt must not be empty').max(PROMPT_MAX_LENGTH, `prompt must be at most ${PROMPT_MAX_LENGTH} characters`).refine(hasNoNul, `prompt ${NO_NUL_MESSAGE}`),
    model: z.enum(MODELS, { message: `model must be one of ${MODELS.join(', ')}` }).default(DEFAULTS.model),
    size: z.enum(SIZES, { message: `size must be one of ${SIZES.join(', ')}` }).default(DEFAULTS.size),
    seconds: z
      .union(SECONDS.map((value) => z.literal(value)) as [z.ZodLiteral<4>, z.ZodLiteral<8>, z.ZodLiteral<12>], {
        message: `seconds must be one of ${SECONDS.join(', ')}`,
      })
      .default(DEFAULTS.seconds),
  })
  .superRefine((value, ctx) => {
    if (!isSizeAllowed(value.model, value.size)) {
      ctx.addIssue({ code: 'custom', path: ['size'], message: `size ${value.size} is only available with sora-2-pro` });
    }
  });

export const listVideosInput = z
  .strictObject({
    cursor: z.string().max(500).nullish(),
    limit: z.number().int().min(1).max(100).default(20),
    status: generationStatusSchema.optional(),
    /** Sent by react-query's infinite queries; pages only go forward (newest first). */
    direction: z.enum(['forward', 'backward']).optional(),
  })
  .default({ limit: 20 });

export const statusViewSchema = z.object({
  videoId: z.string(),
  status: generationStatusSchema,
  progress: z.number().int().min(0).max(100),
  videoUrl: z.string().nullable(),
  thumbnailUrl: z.string().nullable(),
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
  message: z.string(),
  temporarilyUnavailable: z.boolean(),
  jobId: z.string().nullable(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  progressChangedAt: z.string().nullable(),
  cost: z.number().nullable(),
  /** When an automatic new attempt is planned (transient failures only), else null. */
  autoRetryAt: z.string().nullable(),
  updatedAt: z.string(),
});

export const attemptSchema = z.object({
  id: z.string(),
  attempt: z.number(),
  jobId: z.string().nullable(),
  status: generationStatusSchema,
  createOutcome: z.string(),
  model: z.string(),
  size: z.string(),
  seconds: z.number(),
  progress: z.number(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  cost: z.number().nullable(),
  requestedAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
});

export const videoSchema = z.object({
  id: z.string(),
  title: z.string(),
  prompt: z.string(),
  model: z.string(),
  size: z.string(),
  seconds: z.number(),
  createdAt: z.string(),
  generation: statusViewSchema,
});

export const eventSchema = z.object({
  id: z.number(),
  videoId: z.string(),
  generationId: z.string().nullable(),
  actor: z.string(),
  type: z.string(),
  fromStatus: generationStatusSchema.nullable(),
  toStatus: generationStatusSchema.nullable(),
  message: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
});
