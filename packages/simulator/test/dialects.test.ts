import OpenAI, { AuthenticationError, AzureOpenAI, BadRequestError, NotFoundError } from 'openai';
import { describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/index';
import { bytesOf, startTestSimulator, waitForStatus } from './helpers';

/** Creates, polls to completion through the SDK, and downloads: the flow the product runs against any upstream. */
async function roundTrip(client: OpenAI, model: string) {
  const created = await client.videos.create({ prompt: 'A kite over dunes', model });
  const seen = await waitForStatus(client, created.id, 'completed');
  const content = await client.videos.downloadContent(created.id);
  return { created, seen, content, bytes: await bytesOf(content) };
}

/** The raw JSON the simulator sent, for fields the SDK types describe differently. */
async function rawRetrieve(sim: Simulator, id: string, headers: Record<string, string>) {
  const response = await fetch(`${sim.url}/videos/${encodeURIComponent(id)}`, { headers });
  return (await response.json()) as Record<string, unknown>;
}

describe('dialect openai (default)', () => {
  it('round-trips through the SDK as today', async () => {
    const sim = await startTestSimulator();
    expect(sim.dialect).toBe('openai');
    const client = new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url, maxRetries: 0 });
    const { seen, content, bytes } = await roundTrip(client, 'sora-2');
    expect(seen.at(-1)).toMatchObject({ status: 'completed', progress: 100 });
    expect(content.headers.get('content-type')).toBe('video/mp4');
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
  });
});

describe('dialect azure', () => {
  const azure = () => startTestSimulator({ dialect: 'azure', models: ['my-sora-deployment'] });

  it('serves under /openai/v1, and the SDK AzureOpenAI client round-trips with a deployment name', async () => {
    const sim = await azure();
    expect(sim.url).toBe(`${sim.origin}/openai/v1`);
    const client = new AzureOpenAI({
      baseURL: sim.url,
      apiKey: sim.apiKey,
      apiVersion: 'preview',
      maxRetries: 0,
    });
    const { created, bytes } = await roundTrip(client, 'my-sora-deployment');
    expect(created.model).toBe('my-sora-deployment');
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    // Every request carried the key in `api-key` and `api-version=preview`.
    expect(sim.requests().every((entry) => entry.status === 200)).toBe(true);
  });

  it('round-trips with a plain OpenAI client sending api-key instead of Bearer', async () => {
    const sim = await azure();
    const client = new OpenAI({
      baseURL: sim.url,
      apiKey: 'unused',
      defaultHeaders: { 'api-key': sim.apiKey, Authorization: null },
      maxRetries: 0,
    });
    const { bytes } = await roundTrip(client, 'my-sora-deployment');
    expect(bytes.length).toBeGreaterThan(1000);
    await expect(client.videos.list()).resolves.toBeDefined();
  });

  it('refuses Bearer auth with Azure’s 401 body, and an unknown deployment with 404 DeploymentNotFound', async () => {
    const sim = await azure();
    const bearer = new OpenAI({ baseURL: sim.url, apiKey: sim.apiKey, maxRetries: 0 });
    const refused = await bearer.videos.list().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuthenticationError);
    expect((refused as AuthenticationError).error).toEqual({
      code: '401',
      message: expect.stringContaining('missing subscription key'),
    });

    const client = new AzureOpenAI({ baseURL: sim.url, apiKey: sim.apiKey, apiVersion: 'v1', maxRetries: 0 });
    const missing = await client.videos
      .create({ prompt: 'p', model: 'sora-2' })
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).error).toEqual({
      code: 'DeploymentNotFound',
      message: expect.stringContaining("deployment 'sora-2'"),
    });
  });

  it('accepts api-version v1 or preview (or none) and refuses any other with 400', async () => {
    const sim = await azure();
    const headers = { 'api-key': sim.apiKey };
    for (const query of ['', '?api-version=v1', '?api-version=preview'])
      expect((await fetch(`${sim.url}/videos${query}`, { headers })).status).toBe(200);
    const old = await fetch(`${sim.url}/videos?api-version=2024-10-21`, { headers });
    expect(old.status).toBe(400);
    expect(await old.json()).toEqual({
      error: { code: 'BadRequest', message: expect.stringContaining('2024-10-21') },
    });
    // The OpenAI path is not where Azure serves.
    expect((await fetch(`${sim.origin}/v1/videos`, { headers })).status).toBe(404);
  });
});

describe('dialect litellm', () => {
  const litellm = () => startTestSimulator({ dialect: 'litellm' });
  const sdk = (sim: Simulator) => new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url, maxRetries: 0 });

  it('round-trips every default alias, with ids that encode provider and model', async () => {
    const sim = await litellm();
    const client = sdk(sim);
    for (const [model, provider] of [
      ['sora-2', 'openai'],
      ['veo-3', 'gemini'],
      ['runway-gen4', 'runwayml'],
    ]) {
      const { created, bytes } = await roundTrip(client, model as string);
      expect(created.id).toMatch(/^video_/);
      const decoded = Buffer.from(created.id.slice('video_'.length), 'base64').toString('utf8');
      expect(decoded).toMatch(
        new RegExp(`^litellm:custom_llm_provider:${provider};model_id:${model};video_id:video_[0-9a-f]{48}$`),
      );
      expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    }
  });

  it('addresses ids whose base64 holds / + or = through the SDK', async () => {
    const sim = await litellm();
    const client = sdk(sim);
    const ids = await Promise.all(
      Array.from({ length: 12 }, async () => (await client.videos.create({ prompt: 'p' })).id),
    );
    for (const id of ids) expect((await client.videos.retrieve(id)).id).toBe(id);
  });

  it('answers the MP4 as video/mp4 whatever variant is asked for', async () => {
    const sim = await litellm();
    const client = sdk(sim);
    const { created, bytes } = await roundTrip(client, 'sora-2');
    for (const variant of ['thumbnail', 'spritesheet'] as const) {
      const response = await client.videos.downloadContent(created.id, { variant });
      expect(response.headers.get('content-type')).toBe('video/mp4');
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename=video_${created.id}.mp4`,
      );
      expect((await bytesOf(response)).equals(bytes)).toBe(true);
    }
  });

  it('refuses GET /videos without custom-llm-provider, and lists only that provider’s videos with it', async () => {
    const sim = await litellm();
    const client = sdk(sim);
    const sora = await client.videos.create({ prompt: 'p', model: 'sora-2' });
    const veo = await client.videos.create({ prompt: 'p', model: 'veo-3' });

    const refused = await client.videos.list().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BadRequestError);
    expect((refused as BadRequestError).error).toMatchObject({
      param: 'custom_llm_provider',
      code: '400',
      message: expect.stringContaining('custom-llm-provider'),
    });

    const byHeader = await client.videos.list({}, { headers: { 'custom-llm-provider': 'gemini' } });
    expect(byHeader.data.map((video) => video.id)).toEqual([veo.id]);
    const byQuery = await client.videos.list({}, { query: { custom_llm_provider: 'openai' } });
    expect(byQuery.data.map((video) => video.id)).toEqual([sora.id]);
    const withDefault = new OpenAI({
      apiKey: sim.apiKey,
      baseURL: sim.url,
      defaultHeaders: { 'custom-llm-provider': 'openai' },
      maxRetries: 0,
    });
    expect((await withDefault.videos.list()).data).toHaveLength(1);
  });

  it('refuses an unknown alias the way the proxy does', async () => {
    const sim = await litellm();
    const error = await sdk(sim)
      .videos.create({ prompt: 'p', model: 'kling-1' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).error).toMatchObject({
      code: '400',
      message: expect.stringContaining('Invalid model name passed in model=kling-1'),
    });
  });
});

describe('dialect newapi', () => {
  it('sends upper-case task statuses and string progress, and the SDK still round-trips', async () => {
    const sim = await startTestSimulator({ dialect: 'newapi', generationMs: 600 });
    const client = new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url, maxRetries: 0 });
    const created = await client.videos.create({ prompt: 'A lantern', model: 'sora-2' });
    expect(created.id).toMatch(/^task_[0-9a-f]{48}$/);
    expect(created.status as string).toBe('NOT_START');
    expect(created.progress as unknown).toBe('0%');

    const headers = { authorization: `Bearer ${sim.apiKey}` };
    const statuses = new Set<string>();
    const progresses: string[] = [];
    for (;;) {
      const raw = await rawRetrieve(sim, created.id, headers);
      statuses.add(raw.status as string);
      progresses.push(raw.progress as string);
      if (raw.status === 'SUCCESS') {
        expect(raw).toMatchObject({
          task_id: created.id,
          progress: '100%',
          completed_at: expect.any(Number),
        });
        expect(raw).not.toHaveProperty('error');
        break;
      }
      expect(raw).not.toHaveProperty('completed_at');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(
      [...statuses]
        .filter((status) => status !== 'SUCCESS')
        .every((status) => ['NOT_START', 'SUBMITTED', 'IN_PROGRESS'].includes(status)),
    ).toBe(true);
    expect(statuses.has('IN_PROGRESS')).toBe(true);
    expect(progresses.every((progress) => /^\d{1,3}%$/.test(progress))).toBe(true);
    expect(
      (await bytesOf(await client.videos.downloadContent(created.id))).subarray(4, 8).toString('latin1'),
    ).toBe('ftyp');
  });

  it('reports a failure as FAILURE with its error, and expiry and cancellation upper-cased', async () => {
    const sim = await startTestSimulator({ dialect: 'newapi' });
    const client = new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url, maxRetries: 0 });
    const headers = { authorization: `Bearer ${sim.apiKey}` };
    const failing = await client.videos.create({ prompt: '[sim:fail=moderation_blocked][sim:duration=50]' });
    const cancelled = await client.videos.create({ prompt: '[sim:cancel-after=30][sim:duration=5000]' });
    const expiring = await client.videos.create({ prompt: '[sim:retention=40][sim:duration=5000]' });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await rawRetrieve(sim, failing.id, headers)).toMatchObject({
      status: 'FAILURE',
      error: { code: 'moderation_blocked' },
    });
    expect((await rawRetrieve(sim, cancelled.id, headers)).status).toBe('CANCELLED');
    expect((await rawRetrieve(sim, expiring.id, headers)).status).toBe('EXPIRED');
  });
});

describe('expired and cancelled, in the openai dialect', () => {
  it('answers status expired past retention and cancelled after a cancel, as Sora does', async () => {
    const sim = await startTestSimulator();
    const client = new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url, maxRetries: 0 });
    const expiring = await client.videos.create({
      prompt: 'Keep briefly [sim:retention=60][sim:duration=30]',
    });
    const cancelled = await client.videos.create({ prompt: 'Stop [sim:cancel-after=30][sim:duration=5000]' });
    await waitForStatus(client, cancelled.id, 'cancelled');
    const seen = await waitForStatus(client, expiring.id, 'expired');
    expect(seen.at(-1)).toMatchObject({ progress: 100, completed_at: expect.any(Number) });
    await expect(client.videos.downloadContent(expiring.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.videos.downloadContent(cancelled.id)).rejects.toBeInstanceOf(BadRequestError);
    // Finished either way: both may be deleted.
    await expect(client.videos.delete(cancelled.id)).resolves.toMatchObject({ deleted: true });
  });

  it('[sim:timestamps] sends created_at in milliseconds or ISO 8601', async () => {
    const sim = await startTestSimulator();
    const client = new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url, maxRetries: 0 });
    const ms = await client.videos.create({ prompt: '[sim:timestamps=ms]' });
    const iso = await client.videos.create({ prompt: '[sim:timestamps=iso]' });
    expect(ms.created_at).toBeGreaterThan(1e12);
    expect(iso.created_at as unknown).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
  });
});

describe('dialect options', () => {
  it.each([
    [{ dialect: 'vertex' as never }, /'dialect' must be one of openai, azure, litellm, newapi/],
    [{ models: [] }, /'models' must name at least one model/],
    [{ models: ['has space'] }, /'models' holds 'has space'/],
    [{ models: ['a', 'a'] }, /same model twice/],
  ])('refuses %o before listening', async (options, message) => {
    await expect(startSimulator(options)).rejects.toThrow(message);
  });
});
