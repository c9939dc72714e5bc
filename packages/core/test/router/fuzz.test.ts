import { getErrorShape, TRPCError } from '@trpc/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src';
import { callProcedure, listProcedures, type ProcedureInfo } from '../../src/testing/procedures';
import {
  acceptsInput,
  anyInputFor,
  edgeString,
  forgedCursor,
  inputShape,
  invalidValueFor,
  POLLUTION_KEYS,
  unknownKeyFor,
  validInput,
  validSamples,
  withKey,
} from './fuzz-inputs';
import { startHarness, type Harness, type TestUser } from './harness';

/*
 * Every procedure of the router, fuzzed through a real caller (real database, simulator, the server's wiring).
 * The list comes from the router itself, so a procedure added later is fuzzed too. Whatever the input, the answer
 * is a result or a deliberate TRPCError, never an internal error; an input the procedure's schemas refuse is a
 * BAD_REQUEST whose flattened zodError names the field (or the unknown key).
 */

const SEED = 20_261_202;
const PROCEDURES = listProcedures();
/** Subscriptions get this long to yield their first item; then the caller's signal ends them. */
const SUBSCRIPTION_WAIT_MS = 100;

interface FlatZodError {
  formErrors: string[];
  fieldErrors: Record<string, string[] | undefined>;
}

type Outcome =
  | { ok: true }
  | { ok: false; code: TRPCError['code']; zodError: FlatZodError | null; appField: string | null; message: string };

let h: Harness;
let ada: TestUser;
let samples: Record<string, unknown>;

beforeAll(async () => {
  h = await startHarness();
  ada = await h.signUp('fuzz');
  samples = validSamples((await ada.caller.videos.create({ prompt: 'Fuzz target' })).id);
  // An endpoint of the fuzzing user, so procedures on one get past the ownership check.
  samples.endpointId = (await ada.caller.webhooks.create({ url: String(samples.url), events: ['video.completed'] })).endpoint.id;
});
afterAll(() => h?.close());

/** Calls the procedure as a client would; a subscription is read for at most one item. */
async function call(procedure: ProcedureInfo, input: unknown): Promise<Outcome> {
  const signal = AbortSignal.timeout(SUBSCRIPTION_WAIT_MS);
  try {
    const result = await callProcedure(h.callerFor(ada, { signal }), procedure.path, input);
    if (procedure.type === 'subscription') {
      for await (const item of result as AsyncIterable<unknown>) {
        expect(item).toBeDefined();
        break;
      }
    }
    return { ok: true };
  } catch (error) {
    if (!(error instanceof TRPCError)) {
      throw new Error(`${procedure.path}(${describeInput(input)}) threw a non-TRPCError: ${error instanceof Error ? error.stack : String(error)}`, {
        cause: error,
      });
    }
    const shape = getErrorShape({ config: appRouter._def._config, error, type: procedure.type, path: procedure.path, input, ctx: undefined });
    const data = shape.data as { zodError: FlatZodError | null; appError: { field: string | null } | null };
    return { ok: false, code: error.code, zodError: data.zodError, appField: data.appError?.field ?? null, message: error.message };
  }
}

function describeInput(input: unknown): string {
  try {
    return fc.stringify(input).slice(0, 300);
  } catch {
    return typeof input;
  }
}

/** The key as it appears in zod's "Unrecognized key" message. */
const mentions = (messages: string[], key: string) => messages.some((message) => message.includes(JSON.stringify(key)) || message.includes(key));

function expectNotInternal(procedure: ProcedureInfo, input: unknown, outcome: Outcome) {
  if (!outcome.ok && outcome.code === 'INTERNAL_SERVER_ERROR') {
    throw new Error(`${procedure.path}(${describeInput(input)}) answered INTERNAL_SERVER_ERROR: ${outcome.message}`);
  }
}

/** BAD_REQUEST with a zodError that names `field` in fieldErrors. */
function expectFieldNamed(outcome: Outcome, field: string) {
  expect(outcome.ok ? 'ok' : outcome.code).toBe('BAD_REQUEST');
  if (outcome.ok) return;
  expect(outcome.zodError?.fieldErrors[field], JSON.stringify(outcome.zodError)).toBeDefined();
}

const runs = (numRuns: number) => ({ seed: SEED, numRuns, endOnFailure: true });

describe('the fuzzed procedures', () => {
  it('are every procedure of the router, each with a strict object input whose fields have a valid sample', () => {
    expect(PROCEDURES.length).toBeGreaterThanOrEqual(14);
    for (const procedure of PROCEDURES) {
      expect(procedure.inputs.length, `${procedure.path} declares no input`).toBeGreaterThan(0);
      const missing = Object.keys(inputShape(procedure)).filter((field) => !(field in samples));
      expect(missing, `add a valid sample for ${procedure.path}'s fields to fuzz-inputs.ts`).toEqual([]);
      expect(acceptsInput(procedure, validInput(procedure, samples)), `${procedure.path}'s valid sample`).toBe(true);
    }
  });
});

describe.each(PROCEDURES.map((procedure) => [procedure.path, procedure] as const))('%s', (_path, procedure) => {
  const shape = inputShape(procedure);
  const fields = Object.keys(shape);

  it('answers anything with a result or a deliberate error, and names the field of an input it refuses', async () => {
    await fc.assert(
      fc.asyncProperty(anyInputFor(shape, samples), async (input) => {
        const outcome = await call(procedure, input);
        expectNotInternal(procedure, input, outcome);
        if (acceptsInput(procedure, input)) return;
        // Refused by its schema: a BAD_REQUEST that says what is wrong, by field where there is one.
        expect(outcome.ok ? 'ok' : outcome.code).toBe('BAD_REQUEST');
        if (outcome.ok) return;
        const zodError = outcome.zodError;
        expect(zodError, outcome.message).not.toBeNull();
        const named = Object.keys(zodError!.fieldErrors);
        for (const field of named) expect(fields).toContain(field);
        expect(named.length + zodError!.formErrors.length).toBeGreaterThan(0);
        const unknown = isRecord(input) ? Object.keys(input).filter((key) => !Object.hasOwn(shape, key)) : [];
        for (const key of unknown) expect(mentions(zodError!.formErrors, key), `${key} in ${JSON.stringify(zodError)}`).toBe(true);
      }),
      runs(40),
    );
  });

  it('refuses an unknown key (prototype-pollution keys included) with BAD_REQUEST naming it', async () => {
    await fc.assert(
      fc.asyncProperty(unknownKeyFor(shape), fc.jsonValue({ maxDepth: 1 }), async (key, value) => {
        const input = withKey(validInput(procedure, samples), key, value);
        const outcome = await call(procedure, input);
        expect(outcome.ok ? 'ok' : outcome.code).toBe('BAD_REQUEST');
        if (outcome.ok) return;
        expect(mentions(outcome.zodError?.formErrors ?? [], key), `${key} in ${JSON.stringify(outcome.zodError)}`).toBe(true);
      }),
      runs(15),
    );
    // A parsed JSON body with "__proto__" neither passes nor pollutes.
    const polluting = JSON.parse(`{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}`) as unknown;
    expect((await call(procedure, polluting)).ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

});

// Procedures that take no fields (me.get, system.health, tokens.list) have nothing to mutate; the two tests above cover them.
const WITH_FIELDS = PROCEDURES.filter((procedure) => Object.keys(inputShape(procedure)).length > 0);

describe.each(WITH_FIELDS.map((procedure) => [procedure.path, procedure] as const))('%s', (_path, procedure) => {
  const shape = inputShape(procedure);
  const fields = Object.keys(shape);

  it('refuses a valid input with one field wrong, huge or out of range, naming that field', async () => {
    const mutation = fc.constantFrom(...fields).chain((field) => fc.tuple(fc.constant(field), invalidValueFor(shape[field]!)));
    await fc.assert(
      fc.asyncProperty(mutation, async ([field, value]) => {
        const input = { ...validInput(procedure, samples), [field]: value };
        const outcome = await call(procedure, input);
        expectNotInternal(procedure, input, outcome);
        expectFieldNamed(outcome, field);
      }),
      runs(25),
    );
  });

  it('answers a valid input with one field set to an edge-case string without an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), edgeString, async (field, value) => {
        const input = { ...validInput(procedure, samples), [field]: value };
        const outcome = await call(procedure, input);
        expectNotInternal(procedure, input, outcome);
        if (!acceptsInput(procedure, input)) expectFieldNamed(outcome, field);
      }),
      runs(25),
    );
  });
});

describe('videos.list cursors', () => {
  const list = PROCEDURES.find((procedure) => procedure.path === 'videos.list')!;

  it('answers a forged or damaged cursor with a page or BAD_REQUEST naming cursor, never an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(forgedCursor, async (cursor) => {
        const input = { cursor, limit: 5 };
        const outcome = await call(list, input);
        expectNotInternal(list, input, outcome);
        if (!acceptsInput(list, input)) expectFieldNamed(outcome, 'cursor');
      }),
      runs(60),
    );
  });

  it('pages with the cursors it hands out', async () => {
    for (let n = 0; n < 3; n++) await ada.caller.videos.create({ prompt: `Paged ${n}` });
    const first = await ada.caller.videos.list({ limit: 2 });
    expect(first.nextCursor).not.toBeNull();
    const second = await ada.caller.videos.list({ limit: 2, cursor: first.nextCursor });
    expect(second.items.map((video) => video.id)).not.toContain(first.items[0]!.id);
  });
});

describe('prototype pollution', () => {
  it('left Object.prototype untouched after every fuzzed call', () => {
    for (const key of [...POLLUTION_KEYS, 'polluted']) {
      expect(Object.getOwnPropertyDescriptor(Object.prototype, key)?.value).not.toEqual({ polluted: true });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
