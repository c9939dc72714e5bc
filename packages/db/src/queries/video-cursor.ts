import { InvalidCursorError } from '../errors';
import { isUuid } from './uuid';

/** Position after the last video of a page. `createdAt` keeps PostgreSQL's microseconds, which a JS Date drops. */
export interface VideoCursor {
  createdAt: string;
  id: string;
}

const EXACT_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeVideoCursor(cursor: VideoCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`, 'utf8').toString('base64url');
}

export function decodeVideoCursor(cursor: string): VideoCursor {
  const [createdAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || rest.length > 0 || !EXACT_TIMESTAMP.test(createdAt) || !isUuid(id)) {
    throw new InvalidCursorError(cursor);
  }
  return { createdAt, id };
}
