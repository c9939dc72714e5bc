import { BadRequestError, NotFoundError, toFile, type OpenAI } from 'openai';
import { describe, expect, it } from 'vitest';
import { DIALECTS, derivationSignature } from '../src/index';
import { bytesOf, dialectClient, sdkFor, startTestSimulator, waitForStatus } from './helpers';

const clip = () => toFile(Buffer.from('not really an mp4'), 'clip.mp4', { type: 'video/mp4' });

/** new-api gateways say SUCCESS where OpenAI says completed. */
const doneStatus = (dialect: string) => (dialect === 'newapi' ? 'SUCCESS' : 'completed');

async function completed(client: OpenAI, dialect = 'openai', prompt = 'A red fox in snow') {
  const video = await client.videos.create({ prompt });
  await waitForStatus(client, video.id, doneStatus(dialect));
  return video;
}

async function contentOf(client: OpenAI, id: string, dialect = 'openai'): Promise<Buffer> {
  await waitForStatus(client, id, doneStatus(dialect));
  return bytesOf(await client.videos.downloadContent(id));
}

describe.each(DIALECTS)('the whole videos surface of openai 6.x, dialect %s', (dialect) => {
  it('create, retrieve, list, remix, edit, extend, download, delete, createCharacter and getCharacter', async () => {
    const sim = await startTestSimulator({ dialect });
    const client = dialectClient(sim);
    const source = await completed(client, dialect);
    const plain = await contentOf(client, source.id, dialect);

    const remix = await client.videos.remix(source.id, { prompt: 'Make it night' });
    const edit = await client.videos.edit({ prompt: 'Add falling leaves', video: { id: source.id } });
    const extension = await client.videos.extend({
      prompt: 'Keep walking',
      seconds: '8',
      video: { id: source.id },
    });
    expect(remix.remixed_from_video_id).toBe(source.id);
    expect(extension.seconds).toBe('12');

    for (const [derived, kind] of [
      [remix, 'remix'],
      [edit, 'edit'],
      [extension, 'extension'],
    ] as const) {
      const bytes = await contentOf(client, derived.id, dialect);
      expect(bytes.equals(plain)).toBe(false);
      expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp'); // still a playable MP4, then a `free` box
      // A remix or edit keeps the source's size and length, so its clip is the same; an extension is a longer clip.
      if (kind !== 'extension') expect(bytes.subarray(0, plain.length).equals(plain)).toBe(true);
      else expect(bytes.subarray(0, plain.length).equals(plain)).toBe(false);
      expect(bytes.toString('utf8')).toContain(derivationSignature({ kind, sourceId: source.id }));
    }

    const ids = (await client.videos.list({ limit: 10 })).data.map((video) => video.id);
    expect(new Set(ids)).toEqual(new Set([source.id, remix.id, edit.id, extension.id]));

    const character = await client.videos.createCharacter({ name: 'Fox', video: await clip() });
    expect(character).toEqual({ id: expect.any(String), created_at: expect.any(Number), name: 'Fox' });
    expect(await client.videos.getCharacter(character.id ?? '')).toEqual(character);

    expect(await client.videos.delete(edit.id)).toEqual({
      id: edit.id,
      object: 'video.deleted',
      deleted: true,
    });
    await expect(client.videos.retrieve(edit.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('edits and extensions', () => {
  it('edit and extend an uploaded video, with the API defaults for what an upload cannot tell', async () => {
    const sim = await startTestSimulator();
    const client = sdkFor(sim);
    const edit = await client.videos.edit({ prompt: 'Brighter', video: await clip() });
    expect(edit).toMatchObject({ status: 'queued', model: 'sora-2', size: '720x1280', seconds: '4' });
    // The SDK's type lists 4/8/12, its doc comment (and the API) 4-20.
    const extension = await client.videos.extend({
      prompt: 'Longer',
      seconds: '20' as '12',
      video: await clip(),
    });
    expect(extension.seconds).toBe('20');
    const bytes = await contentOf(client, extension.id);
    expect(bytes.toString('utf8')).toContain(derivationSignature({ kind: 'extension', sourceId: null }));
  });

  it('refuses a source that is unfinished (400), unknown (404), or given twice or not at all (400)', async () => {
    const sim = await startTestSimulator({ generationMs: 5000 });
    const client = sdkFor(sim);
    const running = await client.videos.create({ prompt: 'p' });
    await expect(client.videos.edit({ prompt: 'p', video: { id: running.id } })).rejects.toMatchObject({
      status: 400,
      error: { code: 'invalid_state' },
    });
    await expect(
      client.videos.extend({ prompt: 'p', seconds: '4', video: { id: 'video_nope' } }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const post = (body: unknown) =>
      fetch(`${sim.url}/videos/edits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect(await (await post({ prompt: 'p' })).json()).toMatchObject({
      error: { param: 'video', code: 'missing_required_parameter' },
    });
    expect(await (await post({ prompt: 'p', video: { id: running.id, name: 'x' } })).json()).toMatchObject({
      error: { param: 'video.name', code: 'unknown_parameter' },
    });
  });

  it('refuses extension seconds outside 4, 8, 12, 16, 20, and a missing seconds', async () => {
    const sim = await startTestSimulator();
    const client = sdkFor(sim);
    const error = await client.videos
      .extend({ prompt: 'p', seconds: '5' as never, video: await clip() })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).error).toMatchObject({ param: 'seconds', code: 'invalid_value' });
    expect((error as BadRequestError).message).toContain("'4', '8', '12', '16', and '20'");
    await expect(client.videos.extend({ prompt: 'p', video: await clip() } as never)).rejects.toMatchObject({
      error: { param: 'seconds', code: 'missing_required_parameter' },
    });
  });

  it('takes scenario markers in edit and extension prompts', async () => {
    const sim = await startTestSimulator();
    const client = sdkFor(sim);
    const edit = await client.videos.edit({ prompt: 'p [sim:fail=moderation_blocked]', video: await clip() });
    const seen = await waitForStatus(client, edit.id, 'failed');
    expect(seen.at(-1)?.error?.code).toBe('moderation_blocked');
    await expect(
      client.videos.extend({ prompt: '[sim:nope]', seconds: '4', video: await clip() }),
    ).rejects.toMatchObject({ error: { code: 'invalid_simulator_marker' } });
  });
});

describe('characters', () => {
  it('refuses a missing video, an empty name, and answers 404 for an unknown character', async () => {
    const sim = await startTestSimulator();
    const client = sdkFor(sim);
    await expect(client.videos.createCharacter({ name: ' ', video: await clip() })).rejects.toMatchObject({
      status: 400,
      error: { param: 'name', code: 'invalid_value' },
    });
    await expect(client.videos.createCharacter({ name: 'A' } as never)).rejects.toMatchObject({
      status: 400,
      error: { param: 'video', code: 'missing_required_parameter' },
    });
    const image = await toFile(Buffer.from('x'), 'a.png', { type: 'image/png' });
    await expect(client.videos.createCharacter({ name: 'A', video: image })).rejects.toMatchObject({
      error: { param: 'video', code: 'invalid_value' },
    });
    await expect(client.videos.getCharacter('char_missing')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('input_reference', () => {
  it('accepts an image_url or a file_id object through the SDK', async () => {
    const sim = await startTestSimulator();
    const client = sdkFor(sim);
    await expect(
      client.videos.create({
        prompt: 'p',
        input_reference: { image_url: 'https://example.com/first-frame.png' },
      }),
    ).resolves.toMatchObject({ status: 'queued' });
    await expect(
      client.videos.create({ prompt: 'p', input_reference: { file_id: 'file-abc123' } }),
    ).resolves.toMatchObject({
      status: 'queued',
    });
  });

  it.each([
    [
      { image_url: 'https://example.com/a.png', file_id: 'file-abc' },
      'input_reference',
      'invalid_value',
      /both/,
    ],
    [{}, 'input_reference', 'missing_required_parameter', /neither/],
    [{ image_url: 'ftp://example.com/a.png' }, 'input_reference.image_url', 'invalid_value', /http\(s\) URL/],
    [{ file_id: 'abc' }, 'input_reference.file_id', 'invalid_value', /not a file id/],
    [{ file_id: 7 }, 'input_reference.file_id', 'invalid_type', /expected a string/],
    [{ url: 'https://example.com/a.png' }, 'input_reference.url', 'unknown_parameter', /Unknown parameter/],
    ['https://example.com/a.png', 'input_reference', 'invalid_type', /an object or a file/],
  ])('refuses %o as JSON with a 400 naming %s', async (reference, param, code, message) => {
    const sim = await startTestSimulator();
    const response = await fetch(`${sim.url}/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'p', input_reference: reference }),
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { param: string; code: string; message: string } };
    expect(error).toMatchObject({ param, code, type: 'invalid_request_error' });
    expect(error.message).toMatch(message);
  });

  it('refuses both an image file and an object, and an object with both keys, sent as multipart', async () => {
    const sim = await startTestSimulator();
    const client = sdkFor(sim);
    await expect(
      client.videos.create({
        prompt: 'p',
        input_reference: { image_url: 'https://e.com/a.png', file_id: 'file-a' },
      }),
    ).rejects.toMatchObject({ status: 400, error: { param: 'input_reference' } });
    const form = new FormData();
    form.set('prompt', 'p');
    form.set('input_reference', new Blob(['x'], { type: 'image/png' }), 'a.png');
    form.set('input_reference[file_id]', 'file-abc');
    const response = await fetch(`${sim.url}/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}` },
      body: form,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { param: 'input_reference', message: expect.stringContaining('not both') },
    });
  });
});
