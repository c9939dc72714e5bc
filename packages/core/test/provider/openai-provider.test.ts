import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { startSimulator, type Simulator } from '@sora-monitor/simulator';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIProvider } from '../../src/provider';
import type { CreateVideoParams, UpstreamVideo, VideoProvider } from '../../src/provider';

let sim: Simulator;
let provider: VideoProvider;

beforeAll(async () => {
  sim = await startSimulator({ generationMs: 300 });
  provider = createOpenAIProvider({ client: new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url }) });
});
afterAll(() => sim?.close());

const params = (prompt: string, overrides: Partial<CreateVideoParams> = {}): CreateVideoParams => ({
  prompt,
  model: 'sora-2',
  size: '720x1280',
  seconds: 4,
  ...overrides,
});

async function created(prompt: string): Promise<UpstreamVideo> {
  const result = await provider.create(params(prompt));
  if (result.kind !== 'created') throw new Error(`expected created, got ${JSON.stringify(result)}`);
  return result.video;
}

const jobCreates = () =>
  sim.requests().filter((entry) => entry.method === 'POST' && entry.path === '/v1/videos');

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

describe('createOpenAIProvider against the simulator', () => {
  describe('create', () => {
    it('returns the created job, normalised', async () => {
      const before = Date.now();
      const video = await created('A red kite [sim:duration=60000]');
      expect(video).toMatchObject({
        status: 'queued',
        progress: 0,
        error: null,
        model: 'sora-2',
        size: '720x1280',
        seconds: '4',
        prompt: 'A red kite [sim:duration=60000]',
        completedAt: null,
      });
      expect(video.id).toMatch(/^video_/);
      expect(video.createdAt?.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    });

    it('reports an unknown outcome (not a failure, not a retry) when the response is lost', async () => {
      const count = jobCreates().length;
      const result = await provider.create(params('Lost [sim:lost-create]'));
      expect(result.kind).toBe('unknown');
      if (result.kind !== 'unknown') return;
      expect(result.failure).toMatchObject({ kind: 'unavailable', reason: 'network' });
      // SDK retries are off: exactly one POST, so exactly one (paid) job.
      expect(jobCreates()).toHaveLength(count + 1);
    });

    it('reports not_created with the upstream code and parameter for a 400', async () => {
      const result = await provider.create(params('Bad size', { size: '999x999' }));
      expect(result).toMatchObject({
        kind: 'not_created',
        failure: { kind: 'rejected', status: 400, param: 'size' },
      });

      const marker = await provider.create(params('Bad marker [sim:fail=!!]'));
      expect(marker).toMatchObject({
        kind: 'not_created',
        failure: { kind: 'rejected', status: 400, code: 'invalid_simulator_marker', param: 'prompt' },
      });
    });

    it('reports not_created (rejected 401) for a wrong API key', async () => {
      const wrongKey = createOpenAIProvider({ client: new OpenAI({ apiKey: 'wrong', baseURL: sim.url }) });
      expect(await wrongKey.create(params('Who am I'))).toMatchObject({
        kind: 'not_created',
        failure: { kind: 'rejected', status: 401 },
      });
    });

    it('reports an unknown outcome when upstream cannot be reached', async () => {
      const nowhere = createOpenAIProvider({
        client: new OpenAI({ apiKey: 'x', baseURL: await closedPortUrl() }),
      });
      expect(await nowhere.create(params('Into the void'))).toMatchObject({
        kind: 'unknown',
        failure: { kind: 'unavailable', reason: 'network' },
      });
    });
  });

  describe('findCreated', () => {
    it('finds the job whose create response was lost', async () => {
      const since = new Date();
      const lost = params('Find me later [sim:lost-create] [sim:duration=60000]');
      expect((await provider.create(lost)).kind).toBe('unknown');

      const found = await provider.findCreated(lost, since, new Set());
      expect(found).not.toBeNull();
      expect(found).not.toHaveProperty('kind');
      const video = found as UpstreamVideo;
      expect(video.prompt).toBe(lost.prompt);
      const listed = jobCreates().at(-1);
      expect(video.id).toBe(listed?.videoId);
    });

    it('ignores jobs already tied to an attempt, other parameters, and older jobs', async () => {
      const since = new Date();
      const job = await created('Twice the same [sim:duration=60000]');
      expect(
        await provider.findCreated(params('Twice the same [sim:duration=60000]'), since, new Set([job.id])),
      ).toBeNull();
      expect(
        await provider.findCreated(
          params('Twice the same [sim:duration=60000]', { seconds: 8 }),
          since,
          new Set(),
        ),
      ).toBeNull();
      expect(await provider.findCreated(params('Never sent'), since, new Set())).toBeNull();
      const later = new Date(Date.now() + 10 * 60_000);
      expect(
        await provider.findCreated(params('Twice the same [sim:duration=60000]'), later, new Set()),
      ).toBeNull();
    });
  });

  describe('retrieve', () => {
    it('returns the job as upstream reports it', async () => {
      const job = await created('Follow me');
      const result = await provider.retrieve(job.id);
      expect(result).toMatchObject({ kind: 'video', video: { id: job.id } });
    });

    it('answers not_found for a job upstream does not know (404)', async () => {
      expect(await provider.retrieve('video_does_not_exist')).toMatchObject({ kind: 'not_found' });
      const expiring = await created('Expires [sim:expire-after=0]');
      expect(await provider.retrieve(expiring.id)).toMatchObject({ kind: 'not_found' });
    });

    it('answers unavailable with retryAfterMs for a 503', async () => {
      const job = await created('Flaky [sim:flap-503] [sim:duration=60000]');
      const result = await provider.retrieve(job.id);
      expect(result).toMatchObject({ kind: 'unavailable', reason: 'server_error', status: 503 });
      if (result.kind !== 'unavailable') return;
      expect(result.retryAfterMs).toEqual(expect.any(Number));
      expect(result.retryAfterMs).toBeGreaterThan(0);
      // No SDK retry behind our back: one request, and the next one gets through.
      expect(
        sim.requests().filter((entry) => entry.videoId === job.id && entry.method === 'GET'),
      ).toHaveLength(1);
      expect(await provider.retrieve(job.id)).toMatchObject({ kind: 'video' });
    });

    it('answers rate_limited (unavailable) with retryAfterMs for a 429', async () => {
      const job = await created('Busy [sim:429-burst=1] [sim:duration=60000]');
      const result = await provider.retrieve(job.id);
      expect(result).toMatchObject({ kind: 'unavailable', reason: 'rate_limited', status: 429 });
      if (result.kind !== 'unavailable') return;
      expect(result.retryAfterMs).toBeGreaterThan(0);
      expect(await provider.retrieve(job.id)).toMatchObject({ kind: 'video' });
    });

    it('answers unavailable (network) when upstream cannot be reached', async () => {
      const nowhere = createOpenAIProvider({
        client: new OpenAI({ apiKey: 'x', baseURL: await closedPortUrl() }),
      });
      expect(await nowhere.retrieve('video_x')).toMatchObject({ kind: 'unavailable', reason: 'network' });
    });

    it('passes an unknown upstream status through unmapped', async () => {
      const job = await created('Odd [sim:unknown-status] [sim:duration=60000]');
      expect(await provider.retrieve(job.id)).toMatchObject({
        kind: 'video',
        video: { status: 'preprocessing' },
      });
    });

    it('reports a failed job with its error', async () => {
      const job = await created('Fails [sim:fail=content_policy_violation] [sim:duration=100]');
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(await provider.retrieve(job.id)).toMatchObject({
        kind: 'video',
        video: {
          status: 'failed',
          error: { code: 'content_policy_violation', message: expect.stringContaining('content policy') },
        },
      });
    });
  });

  describe('download', () => {
    it('streams the finished content with its type and length', async () => {
      const job = await created('Quick [sim:duration=50]');
      await new Promise((resolve) => setTimeout(resolve, 80));
      const result = await provider.download(job.id, 'video');
      expect(result).toMatchObject({ kind: 'stream', contentType: 'video/mp4' });
      if (result.kind !== 'stream') return;
      const bytes = Buffer.from(await new Response(result.body).arrayBuffer());
      expect(bytes.length).toBe(result.contentLength);

      const direct = await fetch(`${sim.url}/videos/${job.id}/content`, {
        headers: { authorization: `Bearer ${sim.apiKey}` },
      });
      const expected = Buffer.from(await direct.arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(
        createHash('sha256').update(expected).digest('hex'),
      );
    });

    it('answers rejected for a job that is not ready, not_found for one that does not exist', async () => {
      const job = await created('Not yet [sim:duration=60000]');
      expect(await provider.download(job.id, 'video')).toMatchObject({
        kind: 'rejected',
        status: 400,
        code: 'video_not_ready',
      });
      expect(await provider.download('video_missing', 'video')).toMatchObject({ kind: 'not_found' });
    });
  });
});
