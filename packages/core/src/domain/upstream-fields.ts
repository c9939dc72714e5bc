import { clampProgress } from './progress';

// Tolerant readers for the optional fields of an upstream Video object. Each turns whatever a service sent into the
// value we store, or null when it is unusable: one malformed optional field never rejects the whole answer.

/** A decimal number, optionally signed, with optional surrounding spaces and an optional trailing `%`. */
const NUMERIC_TEXT = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%?\s*$/;

function numberFrom(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const match = NUMERIC_TEXT.exec(value);
  return match ? Number(match[1]) : null;
}

/**
 * Progress as stored (integer 0..100, rounded down) from a number or a numeric string: `45`, `"45"`, `"45%"`,
 * `" 45.5 % "`. Out-of-range values are clamped; anything else (text, NaN, objects) is null: "not reported".
 */
export function normaliseProgress(value: unknown): number | null {
  return clampProgress(numberFrom(value));
}

/**
 * Numbers at or above this are milliseconds, below it seconds. 10^11 seconds is the year 5138 and 10^11
 * milliseconds is March 1973, so every plausible time reads right either way.
 */
export const MILLISECONDS_THRESHOLD = 1e11;

// RFC 3339 date-time (ISO 8601's common profile), zone optional. Kept free of zod: the domain is bundled for the browser.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?$/;

/** The common spellings of one instant brought to the RFC 3339 form: `T`, upper-case `Z`, `+hh:mm` offsets. */
function canonicalDateTime(text: string): string {
  return text
    .replace(/^(\d{4}-\d{2}-\d{2}) (?=\d)/, '$1T')
    .replace(/z$/, 'Z')
    .replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
    .replace(/(T[\d:.]+[+-]\d{2})$/, '$1:00');
}

/**
 * A point in time from Unix seconds, Unix milliseconds (told apart by magnitude, see `MILLISECONDS_THRESHOLD`),
 * either as a number or a numeric string, or an ISO 8601 date-time string (`T` or a space between date and time;
 * `Z`, `+hh:mm`, `+hhmm` or `+hh` zones; without a zone it is read as UTC, as gateways
 * writing naive UTC mean it). Zero, negative, impossible (2026-02-30), unparseable or absent values are null.
 */
export function normaliseTimestamp(value: unknown): Date | null {
  if (typeof value === 'string') {
    const text = canonicalDateTime(value.trim());
    const iso = ISO_DATE_TIME.exec(text);
    if (iso) {
      const real = isCalendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
      return real ? validDate(Date.parse(iso[5] ? text : `${text}Z`)) : null;
    }
  }
  const number = typeof value === 'string' && value.includes('%') ? null : numberFrom(value);
  if (number === null || number <= 0) return null;
  return validDate(number >= MILLISECONDS_THRESHOLD ? number : number * 1000);
}

/** Date.parse rolls 2026-02-30 over to March 2; a real date must survive the round trip. */
function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function validDate(ms: number): Date | null {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A short text field (model, size, seconds): strings as given, finite numbers as their decimal text, else ''. */
export function normaliseText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

/**
 * The `error` object of a failed job: `{ code, message }` with either part possibly missing or numeric; a bare
 * string is taken as the message. Anything else is null.
 */
export function normaliseUpstreamError(
  value: unknown,
): { code: string | null; message: string | null } | null {
  if (typeof value === 'string') return value.trim() ? { code: null, message: value } : null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { code, message } = value as { code?: unknown; message?: unknown };
  const error = { code: normaliseText(code).trim() || null, message: normaliseText(message) || null };
  return error.code === null && error.message === null ? null : error;
}
