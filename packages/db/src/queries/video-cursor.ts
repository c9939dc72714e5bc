import { InvalidCursorError } from '../errors';
import { isUuid } from './uuid';

/** What the list can be sorted by: creation, last change, cost (USD), or the clip's length (seconds). */
export const VIDEO_SORTS = ['created', 'updated', 'cost', 'duration'] as const;
export type VideoSort = (typeof VIDEO_SORTS)[number];
export const SORT_ORDERS = ['desc', 'asc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/**
 * Position after the last video of a page: the sort it was made for, and that video's sort key and id (the id breaks
 * ties). Timestamps keep PostgreSQL's microseconds, which a JS Date drops; cost is numeric text, duration an integer.
 */
export interface VideoCursor {
  sort: VideoSort;
  order: SortOrder;
  key: string;
  id: string;
}

const EXACT_TIMESTAMP = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const COST = /^\d{1,8}(\.\d{1,2})?$/; // numeric(10, 2), never negative
const SECONDS = /^\d{1,9}$/;

export function encodeVideoCursor(cursor: VideoCursor): string {
  return Buffer.from(`${cursor.sort}|${cursor.order}|${cursor.key}|${cursor.id}`, 'utf8').toString('base64url');
}

/**
 * A cursor this package produced, or InvalidCursorError. Besides the shape, the key must be a value PostgreSQL can
 * hold (no month 13, no 30 February, no year 0): a well-formed but impossible one would otherwise reach the database
 * as an error instead of being refused here. The older two-part form (created_at|id, newest first) still decodes.
 */
export function decodeVideoCursor(cursor: string): VideoCursor {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const [sort, order, key, id] = parts.length === 2 ? ['created', 'desc', ...parts] : parts;
  if (parts.length !== 2 && parts.length !== 4) throw new InvalidCursorError(cursor);
  if (!isSort(sort) || !isOrder(order) || !key || !id || !isUuid(id) || !isValidKey(sort, key)) {
    throw new InvalidCursorError(cursor);
  }
  return { sort, order, key, id };
}

/** Whether `cursor` decodes (the boundary's check, so a bad one is a BAD_REQUEST naming the field). */
export function isVideoCursor(cursor: string): boolean {
  try {
    decodeVideoCursor(cursor);
    return true;
  } catch {
    return false;
  }
}

function isSort(value: string | undefined): value is VideoSort {
  return (VIDEO_SORTS as readonly (string | undefined)[]).includes(value);
}

function isOrder(value: string | undefined): value is SortOrder {
  return (SORT_ORDERS as readonly (string | undefined)[]).includes(value);
}

function isValidKey(sort: VideoSort, key: string): boolean {
  if (sort === 'cost') return COST.test(key);
  if (sort === 'duration') return SECONDS.test(key);
  return isRealInstant(key);
}

function isRealInstant(timestamp: string): boolean {
  const year = EXACT_TIMESTAMP.exec(timestamp)?.[1];
  if (!year || Number(year) < 1) return false;
  const ms = Date.parse(timestamp.slice(0, 23) + 'Z');
  // A date that does not exist parses to NaN, or rolls over into another one (30 February to 2 March).
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 19) === timestamp.slice(0, 19);
}
