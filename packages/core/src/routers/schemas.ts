import { TRPCError } from '@trpc/server';
import { decodeVideoCursor, isVideoCursor, SORT_ORDERS, VIDEO_SORTS } from '@sora-monitor/db';
import { z } from 'zod';
import {
  checkVideoOptions,
  EXTENSION_SECONDS,
  FAILURE_KINDS,
  GENERATION_STATUSES,
  PROMPT_MAX_LENGTH,
  REFERENCE_IMAGE_MAX_BASE64_LENGTH,
  REFERENCE_IMAGE_MAX_BYTES,
  TITLE_MAX_LENGTH,
  VIDEO_OPERATIONS,
  type ModelCatalog,
} from '../domain';

export const generationStatusSchema = z.enum(GENERATION_STATUSES);

/**
 * The input of a procedure that takes none: nothing, or an empty object. Anything else (a key, a string) is a
 * BAD_REQUEST naming what was sent, rather than silently ignored; strict like every other input.
 */
export const noInput = z.strictObject({}).optional();

/** PostgreSQL text cannot hold U+0000: refused here, it is a BAD_REQUEST naming the field instead of a database error. */
export const hasNoNul = (value: string) => !value.includes('\u0000');
export const NO_NUL_MESSAGE = 'must not contain NUL characters';

const promptSchema = z
  .string()
  .trim()
  .min(1, 'prompt must not be empty')
  .max(PROMPT_MAX_LENGTH, `prompt must be at most ${PROMPT_MAX_LENGTH} characters`)
  .refine(hasNoNul, `prompt ${NO_NUL_MESSAGE}`);

/**
 * A reference image as base64 (tRPC over HTTP is JSON). The length cap refuses a huge image before it is decoded;
 * type, exact size and dimensions are checked from the decoded bytes (checkReferenceImage).
 */
export const imageSchema = z
  .string()
  .max(REFERENCE_IMAGE_MAX_BASE64_LENGTH, `image must be at most ${REFERENCE_IMAGE_MAX_BYTES / (1024 * 1024)} MB`)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'image must be base64 (without a data: prefix)');

/** Longest model name accepted (Azure deployment names are at most 64 characters; LiteLLM aliases are short). */
export const MODEL_NAME_MAX_LENGTH = 200;

/**
 * The shape of a new video. Model, size and seconds are checked here only for type and form: which values are offered
 * depends on the server's model catalog, which `videos.create` checks next (`checkVideoOptions`), naming the field.
 */
export const createVideoInput = z.strictObject({
  title: z.string().trim().min(1, 'title must not be empty').max(TITLE_MAX_LENGTH, `title must be at most ${TITLE_MAX_LENGTH} characters`).refine(hasNoNul, `title ${NO_NUL_MESSAGE}`).optional(),
  prompt: promptSchema,
  model: z
    .string({ message: 'model must be the name of a model this server offers' })
    .min(1, 'model must not be empty')
    .max(MODEL_NAME_MAX_LENGTH, `model must be at most ${MODEL_NAME_MAX_LENGTH} characters`)
    .refine(hasNoNul, `model ${NO_NUL_MESSAGE}`)
    .optional(),
  size: z
    .string({ message: 'size must be width x height, such as 1280x720' })
    .regex(/^\d{1,5}x\d{1,5}$/, 'size must be width x height, such as 1280x720')
    .optional(),
  seconds: z
    .number({ message: 'seconds must be a whole number of seconds, such as 4' })
    .int('seconds must be a whole number of seconds, such as 4')
    .min(1, 'seconds must be at least 1')
    .max(3_600, 'seconds must be at most 3600')
    .optional(),
  /** An input reference image (JPEG, PNG or WebP of exactly `size`), base64: image-to-video. */
  image: imageSchema.optional(),
});

type VideoOptionsRequest = Pick<z.infer<typeof createVideoInput>, 'model' | 'size' | 'seconds'>;

/**
 * The model, size and duration of a new video checked against the server's catalog (a schema per catalog, since the
 * input schema cannot see it), filled with the defaults; a refusal is a BAD_REQUEST naming each field at fault, so
 * clients show it next to that field.
 */
export function parseVideoOptions(catalog: ModelCatalog, input: VideoOptionsRequest): { model: string; size: string; seconds: number } {
  let options: { model: string; size: string; seconds: number } | undefined;
  const schema = z.custom<VideoOptionsRequest>().superRefine((value, ctx) => {
    const checked = checkVideoOptions(catalog, value);
    if (checked.ok) options = checked.options;
    else for (const issue of checked.issues) ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
  });
  const parsed = schema.safeParse(input);
  if (parsed.success && options) return options;
  const message = parsed.error?.issues.map((issue) => issue.message).join('; ') ?? 'Invalid model, size or seconds';
  throw new TRPCError({ code: 'BAD_REQUEST', message, cause: parsed.error });
}

const SEARCH_MAX_LENGTH = 200;
const failureKindSchema = z.enum(FAILURE_KINDS, { message: `failureKind must be one of ${FAILURE_KINDS.join(', ')}` });
const listModelSchema = z
  .string()
  .min(1, 'model must not be empty')
  .max(100, 'model must be at most 100 characters')
  .refine(hasNoNul, `model ${NO_NUL_MESSAGE}`);

export const listVideosInput = z
  .strictObject({
    /** Decoded here into its typed position, so a forged or damaged cursor is a BAD_REQUEST, never a database error. */
    cursor: z
      .string()
      .max(500, 'cursor is not valid')
      .refine(isVideoCursor, 'cursor is not valid: pass back the nextCursor of the previous page unchanged')
      .transform(decodeVideoCursor)
      .nullish(),
    limit: z.number().int().min(1).max(100).default(20),
    /** Default created, newest first. */
    sort: z.enum(VIDEO_SORTS, { message: `sort must be one of ${VIDEO_SORTS.join(', ')}` }).default('created'),
    order: z.enum(SORT_ORDERS, { message: `order must be one of ${SORT_ORDERS.join(', ')}` }).default('desc'),
    /** One status or several (any of them). */
    status: z.union([generationStatusSchema, z.array(generationStatusSchema).min(1).max(GENERATION_STATUSES.length)]).optional(),
    /** One model or several (any of them). */
    model: z.union([listModelSchema, z.array(listModelSchema).min(1).max(20)]).optional(),
    /** Case-insensitive text in the title or the prompt; blank means no search. */
    search: z
      .string()
      .max(SEARCH_MAX_LENGTH, `search must be at most ${SEARCH_MAX_LENGTH} characters`)
      .refine(hasNoNul, `search ${NO_NUL_MESSAGE}`)
      .transform((text) => text.trim() || undefined)
      .optional(),
    /** Only generations stuck now, or failed because the stuck check stopped them. */
    stuck: z.boolean().optional(),
    /** Only failed generations with an automatic new attempt planned. */
    retryingAutomatically: z.boolean().optional(),
    /** Created at or after this instant (ISO 8601 with offset). */
    createdFrom: z.iso.datetime({ offset: true, message: 'createdFrom must be an ISO 8601 date-time' }).transform((text) => new Date(text)).optional(),
    /** Created before this instant (ISO 8601 with offset). */
    createdBefore: z.iso.datetime({ offset: true, message: 'createdBefore must be an ISO 8601 date-time' }).transform((text) => new Date(text)).optional(),
    /** Sent by react-query's infinite queries; pages only go forward. */
    direction: z.enum(['forward', 'backward']).optional(),
    /** Only videos made from this one ("remixes of …"). */
    sourceVideoId: z.uuid({ message: 'sourceVideoId must be a UUID' }).optional(),
    /** Only failed videos whose failure is of this kind (`classifyFailure`), or of any of several. */
    failureKind: z.union([failureKindSchema, z.array(failureKindSchema).min(1).max(FAILURE_KINDS.length)]).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.createdFrom && input.createdBefore && input.createdFrom >= input.createdBefore) {
      ctx.addIssue({ code: 'custom', path: ['createdBefore'], message: 'createdBefore must be later than createdFrom' });
    }
    // A cursor that did not decode is still its string here (zod goes on to this check): its own issue says enough.
    const cursor: unknown = input.cursor;
    if (input.cursor && typeof cursor === 'object' && (input.cursor.sort !== input.sort || input.cursor.order !== input.order)) {
      ctx.addIssue({
        code: 'custom',
        path: ['cursor'],
        message: `cursor belongs to sort=${input.cursor.sort} order=${input.cursor.order}, not sort=${input.sort} order=${input.order}: start again without a cursor`,
      });
    }
  })
  .default({ limit: 20, sort: 'created', order: 'desc' });

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
  /** The service answered 429: it asked us to slow down. */
  rateLimited: z.boolean(),
  /** While temporarily unavailable: when the service is asked again (its retry-after, when it gave one). */
  nextCheckAt: z.string().nullable(),
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
  /** Counts toward the daily spend cap: the job was (or may have been) created and did not fail before rendering. */
  countsTowardSpend: z.boolean(),
});

/** Today's spending against the daily cap (USD, estimated list price); cap and remaining are null without a cap. */
export const spendTodaySchema = z.object({
  spentUsd: z.number(),
  capUsd: z.number().nullable(),
  remainingUsd: z.number().nullable(),
});

const videoIdField = z.uuid({ message: 'videoId must be a UUID' });

/** sora.remix and sora.edit: the source video (yours, completed) and the new prompt. */
export const deriveVideoInput = z.strictObject({ videoId: videoIdField, prompt: promptSchema });

/** sora.extend: also the seconds of new footage. */
export const extendVideoInput = z.strictObject({
  videoId: videoIdField,
  prompt: promptSchema,
  seconds: z.union(EXTENSION_SECONDS.map((value) => z.literal(value)) as [z.ZodLiteral<4>, z.ZodLiteral<8>, z.ZodLiteral<12>], {
    message: `seconds must be one of ${EXTENSION_SECONDS.join(', ')}`,
  }),
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
  /** How the video was made; `sourceVideoId` is null for a plain create or once the source was deleted. */
  lineage: z.object({
    operation: z.enum(VIDEO_OPERATIONS),
    sourceVideoId: z.string().nullable(),
    extensionSeconds: z.number().nullable(),
    referenceImageUrl: z.string().nullable(),
  }),
  /** What can be made from this video with its model (offered once it is completed). */
  operations: z.object({ remix: z.boolean(), extend: z.boolean(), edit: z.boolean() }),
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
