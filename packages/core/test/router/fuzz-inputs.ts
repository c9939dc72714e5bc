import fc from 'fast-check';
import type { z } from 'zod';
import { objectShape, type ProcedureInfo } from '../../src/testing/procedures';

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
    lastEventId: '1',
    name: 'fuzz token',
    id: 'no-such-token',
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
