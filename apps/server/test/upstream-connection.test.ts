import { createOpenAIProvider } from '@sora-monitor/core/server';
import { startSimulator, type Simulator } from '@sora-monitor/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { createUpstreamClient } from '../src/upstream';
import { startRecordingProxy, type RecordedRequest } from './support/recording-proxy';

/*
 * The connection settings reach the wire: the real SDK client the server builds from its configuration, through the
 * product's provider (create, follow, reconcile-list, download), to the simulator, with a recording proxy in between.
 */

let sim: Simulator;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;

beforeAll(async () => {
  sim = await startSimulator({ generationMs: 150 });
  proxy = await startRecordingProxy(sim.origin, (url) => url.replace(/^\/openai\/v1\//, '/v1/'));
});
afterAll(async () => {
  await proxy?.close();
  await sim?.close();
});

/** One whole generation through the provider, as the server runs it; returns the requests it made. */
async function generateThrough(env: Record<string, string>, prompt: string): Promise<RecordedRequest[]> {
  const upstream = createUpstreamClient(loadConfig({ OPENAI_API_KEY: sim.apiKey, OPENAI_BASE_URL: `${proxy.url}/v1`, ...env }));
  const provider = createOpenAIProvider({ client: upstream!.client });
  const first = proxy.requests.length;
  const params = { prompt, model: 'sora-2', size: '720x1280', seconds: 4 };
  const created = await provider.create(params);
  if (created.kind !== 'created') throw new Error(`not created: ${JSON.stringify(created)}`);
  let status = created.video.status;
  while (status !== 'completed') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const retrieved = await provider.retrieve(created.video.id);
    if (retrieved.kind !== 'video') throw new Error(`retrieve failed: ${JSON.stringify(retrieved)}`);
    status = retrieved.video.status;
  }
  const listed = await provider.findCreated(params, new Date(Date.now() - 60_000), new Set());
  expect(listed).toMatchObject({ id: created.video.id });
  const download = await provider.download(created.video.id, 'video');
  if (download.kind !== 'stream') throw new Error(`download failed: ${JSON.stringify(download)}`);
  expect((await new Response(download.body).arrayBuffer()).byteLength).toBeGreaterThan(1_000);
  return proxy.requests.slice(first);
}

describe('connection settings on the wire', () => {
  it('api-key auth, the default query and the default headers go with every request, and no bearer token', async () => {
    const requests = await generateThrough({
      UPSTREAM_PRESET: 'litellm',
      OPENAI_AUTH_HEADER: 'api-key',
      OPENAI_DEFAULT_QUERY: 'api-version=preview',
      OPENAI_DEFAULT_HEADERS: '{"custom-llm-provider":"openai","X-Team":"video"}',
    }, 'A lighthouse through LiteLLM');
    const paths = requests.map((request) => `${request.method} ${new URL(request.url, 'http://x').pathname.replace(/video_[\w-]+/, ':id')}`);
    expect(new Set(paths)).toEqual(new Set(['POST /v1/videos', 'GET /v1/videos/:id', 'GET /v1/videos', 'GET /v1/videos/:id/content']));
    for (const request of requests) {
      expect(request.headers['api-key'], request.url).toBe(sim.apiKey);
      expect(request.headers.authorization, request.url).toBeUndefined();
      expect(new URL(request.url, 'http://x').searchParams.get('api-version'), request.url).toBe('preview');
      expect(request.headers['custom-llm-provider'], request.url).toBe('openai');
      expect(request.headers['x-team'], request.url).toBe('video');
    }
    // The download kept its own query next to the default one.
    expect(requests.some((request) => /\/content\?.*variant=video/.test(request.url) && request.url.includes('api-version=preview'))).toBe(true);
  });

  it('the azure preset sends the key as api-key by itself, under the /openai/v1 base URL', async () => {
    const requests = await generateThrough({ UPSTREAM_PRESET: 'azure', OPENAI_BASE_URL: `${proxy.url}/openai/v1` }, 'A lighthouse on Azure');
    expect(requests.length).toBeGreaterThanOrEqual(4);
    for (const request of requests) {
      expect(request.url.startsWith('/openai/v1/videos')).toBe(true);
      expect(request.headers['api-key']).toBe(sim.apiKey);
      expect(request.headers.authorization).toBeUndefined();
    }
  });

  it('by default the key is a bearer token and nothing else is added', async () => {
    const requests = await generateThrough({}, 'A lighthouse on OpenAI');
    for (const request of requests) {
      expect(request.headers.authorization).toBe(`Bearer ${sim.apiKey}`);
      expect(request.headers['api-key']).toBeUndefined();
      expect(request.url).not.toContain('api-version');
    }
  });
});
