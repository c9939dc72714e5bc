import fc from 'fast-check';
import type { z } from 'zod';
import { objectShape, type ProcedureInfo } from '../../src/testing/procedures';
import { makePng } from '../../src/testing/images';

/*
 * Input generators for fuzzing every procedure of the router. Valid inputs are built from a table of one valid
 * sample per field name, so a procedure added later is fuzzed with no change here unless it introduces a new field
 * (then the coverage test in fuzz.test.ts names the field to add).
 */

/** Keys that have polluted prototypes in JS servers; a strict input must refuse each as an unknown key. */
export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** The fields of a procedure's input objects (all of them, merged); {} for a procedure that takes no fields. */
export function inputShape(procedure: ProcedureInfo): Record<string, z.ZodType> {
  return Object.assign({}, ...procedure.inputs.map((schema) => objectShape(schema) ?? {})) as Record<string, z.ZodType>;
}

/** What the procedure's own schemas say about `input`: the oracle for "must this be refused?". */
export function acceptsInput(procedure: ProcedureInfo, input: unknown): boolean {
  return procedure.inputs.every((schema) => schema.safeParse(input).success);
}

const REFERENCE_PNG_BASE64 = makePng(720, 1280).toString('base64');

/** One valid value per field name used anywhere in the router. */
export function validSamples(videoId: string): Record<string, unknown> {
  return {
    videoId,
    prompt: 'A fuzzed lighthouse',
    title: 'Fuzz',
    model: 'sora-2',
    size: '720x1280',
    seconds: 4,
    cursor: null,
    limit: 5,
    status: 'failed',
    direction: 'forward',
    // videos.list's search, sort and filters.
    sort: 'cost',
    order: 'asc',
    search: 'lighthouse',
    stuck: true,
    retryingAutomatically: true,
    createdFrom: '2026-01-01T00:00:00Z',
    createdBefore: '2026-12-31T00:00:00+01:00',
    lastEventId: '1',
    name: 'fuzz token',
    id: 'no-such-token',
    // A reference image of the default size, as videos.create takes it; and "remixes of" the fuzzed video.
    image: REFERENCE_PNG_BASE64,
    sourceVideoId: videoId,
    // The usage page's range and time zone.
    days: 7,
    timeZone: 'Europe/Berlin',
    // videos.list's failure filter; videos.bulk (reset: it changes nothing on a video that never started).
    failureKind: 'moderation',
    action: 'reset',
    videoIds: [videoId],
    // Outgoing webhooks: a public address (no DNS needed), the events, and an endpoint id (a random one is NOT_FOUND).
    url: 'https://1.1.1.1/hooks/fuzz',
    events: ['video.completed', 'video.failed'],
    endpointId: '2b0f3c1e-8d4a-4f6b-9c2d-1e3f5a7b9c0d',
  };
}

/** A valid input with every declared field set; undefined for a procedure that takes no fields. */
export function validInput(procedure: ProcedureInfo, samples: Record<string, unknown>): Record<string, unknown> | undefined {
  const keys = Object.keys(inputShape(procedure));
  if (keys.length === 0) return undefined;
  return Object.fromEntries(keys.map((key) => [key, samples[key]]));
}

/** `base` plus an own enumerable `key` (defineProperty, so `__proto__` is a real key as JSON.parse makes it). */
export function withKey(base: Record<string, unknown> | undefined, key: string, value: unknown): Record<string, unknown> {
  const input: Record<string, unknown> = { ...base };
  Object.defineProperty(input, key, { value, enumerable: true, writable: true, configurable: true });
  return input;
}

const ODD_VALUES = [NaN, Infinity, -Infinity, -0, 1e308, -1, 0, 2 ** 53, 0.5, '', ' ', '\u0000', '\uD800', 'null', '[]', '{}'];

/** Values of the wrong type, out of range, or odd for JavaScript. */
const wrongValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(...ODD_VALUES),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  fc.bigInt(),
  fc.date(),
);

/** Far beyond every string limit in the router (the largest, a prompt, is 2,000 characters). */
const hugeString = fc
  .tuple(fc.constantFrom('x', '7', 'é', '\u0000', '😀', '"'), fc.integer({ min: 2_001, max: 50_000 }))
  .map(([unit, count]) => unit.repeat(count));

/** A value `field` must refuse: wrong type, out of range, huge, or odd; never one its schema accepts. */
export function invalidValueFor(field: z.ZodType): fc.Arbitrary<unknown> {
  return fc.oneof(wrongValue, hugeString).filter((value) => !field.safeParse(value).success);
}

/**
 * Strings a schema may well accept that have broken the layers below it: NUL (PostgreSQL text refuses it), digit
 * strings beyond a bigint, lone surrogates, bidi overrides, SQL and path fragments.
 */
export const edgeString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.stringMatching(/^\d{1,40}$/),
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 16, maxLength: 40 }),
  fc.string({ maxLength: 20 }).map((text) => `${text}\u0000${text}`),
  fc.constantFrom('\uD800', 'a\uDFFFb', '\u202Eevil', '%00', "x'; drop table videos; --", '../../etc/passwd', '9223372036854775808', '-1', '1e3'),
);

/** A key no input declares, often one aimed at prototypes. */
export function unknownKeyFor(shape: Record<string, z.ZodType>): fc.Arbitrary<string> {
  return fc
    .oneof(fc.constantFrom(...POLLUTION_KEYS), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }))
    .filter((key) => !Object.hasOwn(shape, key));
}

/** Anything at all, plus objects made of the procedure's own keys with random or valid values. */
export function anyInputFor(shape: Record<string, z.ZodType>, samples: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = [...Object.keys(shape), ...POLLUTION_KEYS];
  const value = fc.oneof(fc.anything({ maxDepth: 2 }), wrongValue, fc.constantFrom(...Object.values(samples)));
  return fc.oneof(
    fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true, withUnicodeString: true }),
    fc.jsonValue({ maxDepth: 3 }),
    fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 4 }),
  );
}

const digits = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });

/**
 * List cursors a client could forge: the real encoding (base64url of `timestamp|uuid`) around timestamps of the right
 * shape whose fields may be out of range (month 13, hour 24, year 0000), other ids, and damaged encodings.
 */
export const forgedCursor: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), digits(6), fc.oneof(fc.uuid(), edgeString))
    .map(([year, month, day, hour, minute, second, micros, id]) =>
      Buffer.from(`${year}-${month}-${day}T${hour}:${minute}:${second}.${micros}Z|${id}`, 'utf8').toString('base64url'),
    ),
  fc.tuple(fc.date({ noInvalidDate: true }), fc.uuid()).map(([date, id]) => Buffer.from(`${date.toISOString().replace('Z', '123Z')}|${id}`).toString('base64url')),
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/'), maxLength: 120 }),
  fc.constantFrom(
    Buffer.from('2026-13-01T00:00:00.000000Z|00000000-0000-4000-8000-000000000000').toString('base64url'),
    Buffer.from('2026-02-30T00:00:00.000000Z|00000000-0000-4000-8000-000000000000').toString('base64url'),
    Buffer.from('0000-01-01T00:00:00.000000Z|00000000-0000-4000-8000-000000000000').toString('base64url'),
    Buffer.from('2026-01-01T24:00:00.000000Z|00000000-0000-4000-8000-000000000000').toString('base64url'),
  ),
);
