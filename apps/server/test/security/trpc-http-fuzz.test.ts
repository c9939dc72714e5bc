import { MAX_BATCH_SIZE } from '@sora-monitor/core/domain';
import { listProcedures, type ProcedureInfo } from '@sora-monitor/core/testing/procedures';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_URL, startHttpApp, type HttpApp, type SignedIn } from '../support/http-app';

/*
 * /trpc over real HTTP (buildApp, real services, real database) fed what a broken or hostile client sends: malformed
 * JSON in ?input= and in POST bodies, bodies that are not JSON, huge bodies, mangled paths and oversized batches.
 * Every answer is a 4xx (or a result), never a 500; a batch over MAX_BATCH_SIZE runs none of its calls.
 */

const SEED = 20_261_202;
const PROCEDURES = listProcedures();
const NOT_MUTATIONS = PROCEDURES.filter((procedure) => procedure.type !== 'mutation');
const MUTATIONS = PROCEDURES.filter((procedure) => procedure.type === 'mutation');

let h: HttpApp;
let ada: SignedIn;

beforeAll(async () => {
  h = await startHttpApp();
  ada = await h.signUp('ada');
});
afterAll(() => h?.close());

/** Percent-encodes every UTF-8 byte (lone surrogates become U+FFFD, as a browser would send them). */
const encodeBytes = (text: string) => [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

/** Broken, truncated, odd or merely unexpected JSON text. */
const jsonText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value).slice(0, -1)),
  fc.constantFrom('{', '[', '{"0":', 'undefined', 'NaN', '\u0000', '{"a":1}{"b":2}', '{"__proto__":{"polluted":true}}', '1e999', '"\\ud800"'),
);

function parsesTo(text: string, accept: (value: unknown) => boolean): boolean {
  try {
    return accept(JSON.parse(text));
  } catch {
    return false;
  }
}

/** A subscription given an input it accepts would stream until the client leaves; only refused inputs are sent. */
function refusedBy(procedure: ProcedureInfo, text: string): boolean {
  return !parsesTo(text, (value) => procedure.inputs.every((schema) => schema.safeParse(value).success));
}

/** Never a server error; a refusal is a JSON error body that names a 4xx code. */
function expectClientOutcome(response: LightMyRequestResponse, request: string) {
  expect(response.statusCode, `${request} -> ${response.statusCode} ${response.body.slice(0, 300)}`).toBeLessThan(500);
  expect(response.body).not.toMatch(/INTERNAL_SERVER_ERROR/);
}

const get = (url: string) => h.inject({ method: 'GET', url, headers: { cookie: ada.cookie } });
const post = (url: string, payload: string | Buffer, contentType = 'application/json') =>
  h.inject({ method: 'POST', url, payload, headers: { cookie: ada.cookie, origin: PUBLIC_URL, 'content-type': contentType } });

describe('fuzzed /trpc requests', () => {
  it('answers malformed ?input= on every query and subscription with a 4xx or a result, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...NOT_MUTATIONS), jsonText, async (procedure, text) => {
        if (procedure.type === 'subscription' && !refusedBy(procedure, text)) return;
        const url = `/trpc/${procedure.path}?input=${encodeBytes(text)}`;
        expectClientOutcome(await get(url), url);
      }),
      { seed: SEED, numRuns: 80 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers malformed JSON bodies on every mutation with a 4xx or a result, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...MUTATIONS), jsonText, async (procedure, text) => {
        const response = await post(`/trpc/${procedure.path}`, text);
        expectClientOutcome(response, `POST ${procedure.path} ${JSON.stringify(text)}`);
        if (!parsesTo(text, () => true)) expect(response.statusCode).toBe(400);
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  // Over a real socket: fastify's inject hands tRPC's multipart parser a fake request it cannot read (a 500 that
  // exists only under inject), while a real client's multipart body reaches tRPC as it would in production.
  it('answers bodies that are not JSON with a 4xx, over a real socket', async () => {
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const bodies: Array<[string, string]> = [
      ['text/plain', '{"prompt":"plain text"}'],
      ['application/x-www-form-urlencoded', 'prompt=form'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nmultipart\r\n--x--\r\n'],
      ['multipart/form-data', 'no boundary'],
      ['application/octet-stream', '\u0000\u0001binary'],
      ['application/xml', '<prompt>xml</prompt>'],
      ['application/json; charset=latin1', '{"prompt":"caf\u00e9"'],
    ];
    const before = await h.snapshot();
    for (const procedure of MUTATIONS) {
      for (const [contentType, body] of bodies) {
        const response = await fetch(`${address}/trpc/${procedure.path}`, {
          method: 'POST',
          body,
          headers: { cookie: ada.cookie, origin: PUBLIC_URL, 'content-type': contentType },
        });
        const text = await response.text();
        const request = `POST ${procedure.path} as ${contentType}`;
        expect(response.status, `${request} -> ${response.status} ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${request} -> ${response.status} ${text.slice(0, 300)}`).toBeLessThan(500);
      }
    }
    expect(await h.snapshot()).toEqual(before);
  });

  it('answers huge bodies and huge ?input= with a 4xx', async () => {
    const before = await h.snapshot();
    // /trpc takes bodies up to a reference image's cap in base64 (about 7 MB); beyond that fastify refuses it unread.
    const huge = JSON.stringify({ prompt: 'x'.repeat(8 * 1024 * 1024) });
    expect((await post('/trpc/videos.create', huge)).statusCode).toBe(413);
    const large = await post('/trpc/videos.create', JSON.stringify({ prompt: 'x'.repeat(2 * 1024 * 1024) }));
    expect(large.statusCode).toBe(400);
    expect(large.body).toContain('prompt must be at most 2000 characters');
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expectClientOutcome(await post('/trpc/videos.create', deep), 'deeply nested body');
    const longInput = `/trpc/videos.list?input=${encodeURIComponent(JSON.stringify({ cursor: 'c'.repeat(200_000) }))}`;
    const response = await get(longInput);
    expectClientOutcome(response, 'huge ?input=');
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(await h.snapshot()).toEqual(before);
  });

  it('answers forged list cursors (a real encoding around an impossible timestamp) with 400 naming cursor, never a 500', async () => {
    const field = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
    const forged = fc
      .tuple(field(4), field(2), field(2), field(2), field(6), fc.constantFrom('00000000-0000-4000-8000-000000000000', 'not-a-uuid'))
      .map(([year, month, day, hour, micros, id]) => `${year}-${month}-${day}T${hour}:00:00.${micros}Z|${id}`);
    const fixed = fc.constantFrom('2026-13-01T00:00:00.000000Z|00000000-0000-4000-8000-000000000000', '2026-02-30T12:00:00.000000Z|00000000-0000-4000-8000-000000000000');
    await fc.assert(
      fc.asyncProperty(fc.oneof(forged, fixed), async (text) => {
        const cursor = Buffer.from(text, 'utf8').toString('base64url');
        const url = `/trpc/videos.list?input=${encodeURIComponent(JSON.stringify({ cursor, limit: 5 }))}`;
        const response = await get(url);
        expectClientOutcome(response, `${url} (${text})`);
        if (response.statusCode !== 200) {
          expect(response.statusCode).toBe(400);
          expect(response.json()).toMatchObject({ error: { data: { code: 'BAD_REQUEST', zodError: { fieldErrors: { cursor: [expect.stringMatching(/cursor is not valid/)] } } } } });
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
    const month13 = Buffer.from('2026-13-01T00:00:00.000000Z|00000000-0000-4000-8000-000000000000').toString('base64url');
    expect((await get(`/trpc/videos.list?input=${encodeURIComponent(JSON.stringify({ cursor: month13 }))}`)).statusCode).toBe(400);
  });

  it('answers mangled procedure paths with a 4xx', async () => {
    const paths = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }).map(encodeBytes),
      fc.constantFrom('%E0%A4%A', '%', '..%2F..%2Fetc%2Fpasswd', 'videos.create%00', '__proto__.toString', 'constructor', 'sora..status', ',,,'),
    );
    await fc.assert(
      fc.asyncProperty(paths, async (path) => {
        const url = `/trpc/${path}?input=%7B%7D`;
        const response = await get(url);
        expectClientOutcome(response, url);
        expect(response.statusCode).toBeGreaterThanOrEqual(400);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});

describe('batch size', () => {
  const batchOf = (path: string, size: number) => Array.from({ length: size }, () => path).join(',');
  const inputs = (size: number, input: unknown) => JSON.stringify(Object.fromEntries(Array.from({ length: size }, (_, index) => [index, input])));

  it(`refuses a batch of ${MAX_BATCH_SIZE + 1} calls with 400 before any of them runs`, async () => {
    const before = await h.snapshot();
    const upstream = h.sim.requests().length;
    const size = MAX_BATCH_SIZE + 1;
    const mutations = await post(`/trpc/${batchOf('videos.create', size)}?batch=1`, inputs(size, { prompt: 'One of too many' }));
    expect(mutations.statusCode).toBe(400);
    expect(mutations.body).toMatch(/Batch call exceeds maximum size/);
    expect(mutations.body).toMatch(/BAD_REQUEST/);
    const queries = await get(`/trpc/${batchOf('me.get', size)}?batch=1&input=${encodeURIComponent(inputs(size, {}))}`);
    expect(queries.statusCode).toBe(400);
    expect(await h.snapshot()).toEqual(before);
    expect(h.sim.requests()).toHaveLength(upstream);
  });

  it(`runs a batch of exactly ${MAX_BATCH_SIZE} calls`, async () => {
    const response = await post(`/trpc/${batchOf('videos.create', MAX_BATCH_SIZE)}?batch=1`, inputs(MAX_BATCH_SIZE, { prompt: 'One of a full batch' }));
    expect(response.statusCode).toBe(200);
    const results = response.json() as Array<{ result?: { data: { prompt: string } } }>;
    expect(results).toHaveLength(MAX_BATCH_SIZE);
    expect(results.every((item) => item.result?.data.prompt === 'One of a full batch')).toBe(true);
    const queries = await get(`/trpc/${batchOf('me.get', MAX_BATCH_SIZE)}?batch=1&input=${encodeURIComponent(inputs(MAX_BATCH_SIZE, {}))}`);
    expect(queries.statusCode).toBe(200);
  });
});
