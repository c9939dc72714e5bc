import { and, eq, gte, inArray, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { videos, type GenerationStatus } from '../schema';
import { isStuckNow } from './stuck-predicate';

/** The list's filters; every one given must hold. */
export interface VideoFilters {
  status?: GenerationStatus | readonly GenerationStatus[];
  model?: string | readonly string[];
  /** Case-insensitive substring of the title or the prompt. */
  search?: string;
  /**
   * Stuck right now (core's stuckVerdict, by the database clock, with this timeout in ms) or failed because the stuck
   * check stopped it.
   */
  stuckTimeoutMs?: number;
  /** Failed, with an automatic new attempt planned. */
  retryingAutomatically?: boolean;
  /** Created at or after this instant. */
  createdFrom?: Date;
  /** Created before this instant. */
  createdBefore?: Date;
  /** Only videos made from this one (remixes, edits, extensions of it). */
  sourceVideoId?: string;
  /** Failed with one of these error codes (null: failed without a code); an empty list matches nothing. */
  failedWithCodes?: readonly (string | null)[];
}

/** The error code a generation the stuck check stopped fails with (core's FAILURE_CODES.stuckTimeout). */
export const FAILURE_CODE_STUCK_TIMEOUT = 'stuck_timeout';

/**
 * The filters as SQL conditions. Search is a plain ILIKE over the user's own rows (the user_id index narrows first);
 * pg_trgm would index it, but it is not loaded in PGlite by default and a user's few thousand rows scan in
 * milliseconds.
 */
export function videoFilters(filters: VideoFilters): (SQL | undefined)[] {
  const statuses = asList(filters.status);
  const models = asList(filters.model);
  const pattern = filters.search ? `%${escapeLike(filters.search)}%` : null;
  return [
    statuses ? inArray(videos.soraGenerationStatus, statuses) : undefined,
    models ? inArray(videos.model, models) : undefined,
    pattern ? or(sql`${videos.title} ilike ${pattern}`, sql`${videos.prompt} ilike ${pattern}`) : undefined,
    filters.stuckTimeoutMs !== undefined
      ? or(isStuckNow(filters.stuckTimeoutMs), sql`${videos.soraErrorCode} = ${FAILURE_CODE_STUCK_TIMEOUT}`)
      : undefined,
    filters.retryingAutomatically ? isNotNull(videos.autoRetryAt) : undefined,
    filters.createdFrom ? gte(videos.createdAt, filters.createdFrom) : undefined,
    filters.createdBefore ? lt(videos.createdAt, filters.createdBefore) : undefined,
    filters.sourceVideoId ? sql`${videos.sourceVideoId} = ${filters.sourceVideoId}` : undefined,
    filters.failedWithCodes ? failedWithCodes(filters.failedWithCodes) : undefined,
  ];
}

function failedWithCodes(codes: readonly (string | null)[]): SQL {
  const named = codes.filter((code): code is string => code !== null);
  const matches = or(
    named.length > 0 ? inArray(videos.soraErrorCode, named) : undefined,
    codes.includes(null) ? isNull(videos.soraErrorCode) : undefined,
  );
  return and(eq(videos.soraGenerationStatus, 'failed'), matches ?? sql`false`)!;
}

function asList<T extends string>(value: T | readonly T[] | undefined): T[] | null {
  if (value === undefined) return null;
  return typeof value === 'string' ? [value] : [...(value as readonly T[])];
}

/** `%`, `_` and `\` match themselves: the user searches for text, not for a pattern. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
