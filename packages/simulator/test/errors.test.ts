import { AuthenticationError, BadRequestError, NotFoundError, type APIError } from 'openai';
import type { VideoCreateParams } from 'openai/resources/videos';
import { describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index';
import { sdkFor, startTestSimulator } from './helpers';

async function rejection(promise: Promise<unknown>): Promise<APIError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (caught: unknown) => caught,
  );
  return error as APIError;
}

function postJson(sim: Simulator, path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('authentication', () => {
  it('answers 401 with an OpenAI error body for a wrong key (AuthenticationError) and a missing one', async () => {
    const sim = await startTestSimulator({ apiKey: 'the-right-key' });
    const wrong = await rejection(sdkFor(sim, { apiKey: 'sk-the-wrong-key-123' }).videos.list());
    expect(wrong).toBeInstanceOf(AuthenticationError);
    expect(wrong.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    expect(wrong.message).not.toContain('sk-the-wrong-key-123');

    const missing = await fetch(`${sim.url}/videos`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      error: {
        message: expect.stringContaining("didn't provide an API key"),
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
  });

  it("accepts Azure's api-key header as well as a bearer token", async () => {
    const sim = await startTestSimulator();
    const response = await fetch(`${sim.url}/videos`, { headers: { 'api-key': sim.apiKey } });
    expect(response.status).toBe(200);
  });

  it('leaves the /__sim control routes open', async () => {
    const sim = await startTestSimulator();
    expect(await (await fetch(`${sim.origin}/__sim/health`)).json()).toEqual({ status: 'ok', jobs: 0 });
  });
});

describe('create validation (400 invalid_request_error, as upstream)', () => {
  const cases: Array<[string, Partial<VideoCreateParams> & Record<string, unknown>, string, string]> = [
    ['an empty prompt', { prompt: '   ' }, 'prompt', 'empty_string'],
    ['a prompt over 32000 characters', { prompt: 'x'.repeat(32_001) }, 'prompt', 'string_above_max_length'],
    ['an unknown model', { prompt: 'p', model: 'sora-3' }, 'model', 'invalid_value'],
    ['an unknown size', { prompt: 'p', size: '1920x1080' as never }, 'size', 'invalid_value'],
    [
      'a pro-only size on sora-2',
      { prompt: 'p', model: 'sora-2', size: '1792x1024' },
      'size',
      'invalid_value',
    ],
    ['an unsupported duration', { prompt: 'p', seconds: '5' as never }, 'seconds', 'invalid_value'],
    ['an unknown parameter', { prompt: 'p', quality: 'hd' }, 'quality', 'unknown_parameter'],
    ['an unknown simulator marker', { prompt: 'p [sim:explode]' }, 'prompt', 'invalid_simulator_marker'],
    ['a malformed simulator marker', { prompt: 'p [sim:stuck=lots]' }, 'prompt', 'invalid_simulator_marker'],
  ];

  it.each(cases)('rejects %s through the SDK (multipart)', async (_name, body, param, code) => {
    const sim = await startTestSimulator();
    const error = await rejection(sdkFor(sim).videos.create(body as VideoCreateParams));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.error).toMatchObject({ type: 'invalid_request_error', param, code });
    expect(error.message.length).toBeGreaterThan(20);
  });

  it('rejects a missing prompt and a non-string field in a JSON body', async () => {
    const sim = await startTestSimulator();
    const missing = await postJson(sim, '/videos', { model: 'sora-2' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: {
        message: "Missing required parameter: 'prompt'.",
        type: 'invalid_request_error',
        param: 'prompt',
        code: 'missing_required_parameter',
      },
    });

    const numeric = await postJson(sim, '/videos', { prompt: 'p', seconds: 8 });
    expect(numeric.status).toBe(400);
    expect(await numeric.json()).toMatchObject({ error: { param: 'seconds', code: 'invalid_type' } });
  });

  it('rejects a reference file that is not an image', async () => {
    const sim = await startTestSimulator();
    const form = new FormData();
    form.set('prompt', 'p');
    form.set('input_reference', new Blob(['%PDF'], { type: 'application/pdf' }), 'doc.pdf');
    const response = await fetch(`${sim.url}/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}` },
      body: form,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { param: 'input_reference', code: 'invalid_value' },
    });
  });

  it('answers malformed JSON with an OpenAI-shaped 400', async () => {
    const sim = await startTestSimulator();
    const response = await fetch(`${sim.url}/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
      body: '{"prompt": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});

describe('other client errors', () => {
  it('answers an unknown video with 404 (NotFoundError) on every route', async () => {
    const sim = await startTestSimulator();
    const client = sdkFor(sim);
    const id = 'video_0000';
    for (const call of [
      client.videos.retrieve(id),
      client.videos.delete(id),
      client.videos.downloadContent(id),
      client.videos.remix(id, { prompt: 'p' }),
    ]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.error).toMatchObject({
        type: 'invalid_request_error',
        message: `Video with id '${id}' not found.`,
      });
    }
  });

  it('validates list and content query parameters', async () => {
    const sim = await startTestSimulator();
    const client = sdkFor(sim);
    const { id } = await client.videos.create({ prompt: 'p' });
    expect((await rejection(client.videos.list({ limit: 0 }))).error).toMatchObject({ param: 'limit' });
    expect((await rejection(client.videos.list({ limit: 101 }))).error).toMatchObject({ param: 'limit' });
    expect((await rejection(client.videos.list({ order: 'sideways' as never }))).error).toMatchObject({
      param: 'order',
    });
    expect((await rejection(client.videos.list({ after: 'video_unknown' }))).error).toMatchObject({
      param: 'after',
    });
    const variant = await rejection(client.videos.downloadContent(id, { variant: 'mp4' as never }));
    expect(variant.error).toMatchObject({
      message: "Invalid value: 'mp4'. Supported values are: 'video', 'thumbnail', and 'spritesheet'.",
      param: 'variant',
    });
  });

  it('answers an unknown route like upstream does', async () => {
    const sim = await startTestSimulator();
    const response = await fetch(`${sim.url}/images`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: { message: 'Invalid URL (GET /v1/images)', type: 'invalid_request_error' },
    });
  });
});
