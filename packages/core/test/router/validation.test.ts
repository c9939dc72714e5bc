import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROMPT_MAX_LENGTH } from '../../src/domain';
import { expectTRPCError, startHarness, type Harness, type TestUser } from './harness';

let h: Harness;
let ada: TestUser;
let videoId: string;

beforeAll(async () => {
  h = await startHarness();
  ada = await h.signUp('ada');
  videoId = (await ada.caller.videos.create({ prompt: 'A valid video' })).id;
});
afterAll(() => h?.close());

interface FlatZodError {
  formErrors: string[];
  fieldErrors: Record<string, string[] | undefined>;
}

/** Expects BAD_REQUEST whose flattened zodError names `field` (or, for unknown keys, mentions it). */
async function expectFieldError(call: () => Promise<unknown>, field: string): Promise<string[]> {
  const requestsBefore = h.sim.requests().length;
  const { error, shape } = await expectTRPCError(call);
  expect(error.code).toBe('BAD_REQUEST');
  expect(shape.data.httpStatus).toBe(400);
  const zodError = (shape.data as { zodError: FlatZodError | null }).zodError;
  expect(zodError).not.toBeNull();
  expect(h.sim.requests()).toHaveLength(requestsBefore);
  const messages = zodError!.fieldErrors[field];
  expect(messages, `zodError.fieldErrors.${field} in ${JSON.stringify(zodError)}`).toBeDefined();
  return messages!;
}

describe('input validation', () => {
  it.each([
    ['an empty prompt', { prompt: '' }, 'prompt', /must not be empty/],
    ['a blank prompt', { prompt: '   ' }, 'prompt', /must not be empty/],
    ['an oversized prompt', { prompt: 'x'.repeat(PROMPT_MAX_LENGTH + 1) }, 'prompt', /at most 2000/],
    ['a missing prompt', {}, 'prompt', /./],
    ['an unknown model', { prompt: 'ok', model: 'sora-3' }, 'model', /one of sora-2, sora-2-pro \(the models this server offers\)/],
    ['a model that is not a string', { prompt: 'ok', model: 42 }, 'model', /name of a model this server offers/],
    ['an unknown size', { prompt: 'ok', size: '640x480' }, 'size', /one of 720x1280, 1280x720 for sora-2/],
    ['a size that is not width x height', { prompt: 'ok', size: 'huge' }, 'size', /width x height/],
    [
      'a size the model cannot render',
      { prompt: 'ok', model: 'sora-2', size: '1792x1024' },
      'size',
      /only available with sora-2-pro/,
    ],
    ['bad seconds', { prompt: 'ok', seconds: 5 }, 'seconds', /one of 4, 8, 12 for sora-2/],
    ['bad seconds for the chosen model', { prompt: 'ok', model: 'sora-2-pro', seconds: 10 }, 'seconds', /one of 4, 8, 12 for sora-2-pro/],
    ['seconds as a string', { prompt: 'ok', seconds: '4' }, 'seconds', /whole number of seconds/],
    ['an empty title', { prompt: 'ok', title: '' }, 'title', /must not be empty/],
  ])('videos.create refuses %s, naming the field', async (_name, input, field, message) => {
    const messages = await expectFieldError(() => ada.caller.videos.create(input as never), field);
    expect(messages.join(' ')).toMatch(message);
  });

  it('refuses unknown keys, naming the key', async () => {
    const { error, shape } = await expectTRPCError(() =>
      ada.caller.videos.create({ prompt: 'ok', colour: 'red' } as never),
    );
    expect(error.code).toBe('BAD_REQUEST');
    const zodError = (shape.data as { zodError: FlatZodError | null }).zodError;
    expect(zodError?.formErrors.join(' ')).toContain('colour');

    const onVideo = await expectTRPCError(() => ada.caller.sora.status({ videoId, extra: true } as never));
    expect(onVideo.error.code).toBe('BAD_REQUEST');
    expect(
      (onVideo.shape.data as { zodError: FlatZodError | null }).zodError?.formErrors.join(' '),
    ).toContain('extra');
  });

  it.each([
    ['sora.status', (id: unknown) => ada.caller.sora.status({ videoId: id } as never)],
    ['sora.generate', (id: unknown) => ada.caller.sora.generate({ videoId: id } as never)],
    ['sora.reset', (id: unknown) => ada.caller.sora.reset({ videoId: id } as never)],
    ['sora.history', (id: unknown) => ada.caller.sora.history({ videoId: id } as never)],
    ['videos.get', (id: unknown) => ada.caller.videos.get({ videoId: id } as never)],
    ['videos.delete', (id: unknown) => ada.caller.videos.delete({ videoId: id } as never)],
  ])('%s refuses a videoId that is not a uuid, naming the field', async (_name, call) => {
    for (const bad of ['not-a-uuid', '', '123', `${videoId}x`, 42, null]) {
      expect(await expectFieldError(() => call(bad), 'videoId')).toBeTruthy();
    }
  });

  it('refuses bad list inputs, naming the field', async () => {
    await expectFieldError(() => ada.caller.videos.list({ limit: 0 }), 'limit');
    await expectFieldError(() => ada.caller.videos.list({ limit: 101 }), 'limit');
    await expectFieldError(() => ada.caller.videos.list({ status: 'done' } as never), 'status');
    await expectFieldError(() => ada.caller.sora.onUpdate({ videoId: 'nope' }), 'videoId');
    await expectFieldError(() => ada.caller.sora.onUpdate({ lastEventId: 'abc' }), 'lastEventId');
  });

  it('refuses a cursor it did not issue with BAD_REQUEST naming the cursor', async () => {
    const { error, shape } = await expectTRPCError(() => ada.caller.videos.list({ cursor: 'garbage' }));
    expect(error.code).toBe('BAD_REQUEST');
    // Decoded into a typed value by the input schema, so the refusal names the field like any other bad input.
    expect(Object.keys((shape.data as { zodError: { fieldErrors: Record<string, string[]> } | null }).zodError?.fieldErrors ?? {})).toEqual(['cursor']);
  });
});
