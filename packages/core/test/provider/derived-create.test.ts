import { startSimulator, type Simulator } from '@sora-monitor/simulator';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIProvider, type CreateVideoParams, type VideoProvider } from '../../src/provider';
import { makePng } from '../../src/testing/images';

/*
 * The provider's create with a reference image or a source job, through the real SDK against the simulator, which
 * checks `input_reference` and the derivation routes as the API reference defines them.
 */

let sim: Simulator;
let provider: VideoProvider;

beforeAll(async () => {
  sim = await startSimulator({ generationMs: 200 });
  provider = createOpenAIProvider({ client: new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url }) });
});
afterAll(() => sim?.close());

const base: CreateVideoParams = { prompt: 'A kite', model: 'sora-2', size: '720x1280', seconds: 4 };
const png = makePng(720, 1280);

async function completedJob(): Promise<string> {
  const result = await provider.create(base);
  if (result.kind !== 'created') throw new Error(JSON.stringify(result));
  for (;;) {
    const seen = await provider.retrieve(result.video.id);
    if ('video' in seen && seen.video.status === 'completed') return result.video.id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('create with input_reference', () => {
  it('uploads the image as input_reference (the simulator accepts a PNG file)', async () => {
    const result = await provider.create({ ...base, inputReference: { bytes: png, mimeType: 'image/png', filename: 'reference.png' } });
    expect(result.kind).toBe('created');
  });

  it('really sends it: an upload of a type the API refuses comes back naming input_reference', async () => {
    const result = await provider.create({ ...base, inputReference: { bytes: png, mimeType: 'image/gif', filename: 'reference.gif' } });
    expect(result).toMatchObject({ kind: 'not_created', failure: { kind: 'rejected', status: 400, param: 'input_reference' } });
  });
});

describe('derivations', () => {
  it('remixes, edits and extends a completed job, each keeping what the API says it keeps', async () => {
    const sourceJobId = await completedJob();
    const derive = (operation: 'remix' | 'edit' | 'extend', extensionSeconds: number | null = null) =>
      provider.create({ ...base, prompt: `A ${operation}`, derivation: { operation, sourceJobId, extensionSeconds } });

    const remix = await derive('remix');
    expect(remix).toMatchObject({ kind: 'created', video: { model: 'sora-2', size: '720x1280', seconds: '4' } });
    const edit = await derive('edit');
    expect(edit).toMatchObject({ kind: 'created', video: { seconds: '4' } });
    const extension = await derive('extend', 8);
    expect(extension).toMatchObject({ kind: 'created', video: { seconds: '12' } });
    const paths = sim.requests().filter((entry) => entry.method === 'POST').map((entry) => entry.path);
    expect(paths).toEqual(expect.arrayContaining([`/v1/videos/${sourceJobId}/remix`, '/v1/videos/edits', '/v1/videos/extensions']));
  });

  it('reports a source upstream does not know as a rejection (nothing created)', async () => {
    const result = await provider.create({ ...base, derivation: { operation: 'remix', sourceJobId: 'video_missing', extensionSeconds: null } });
    expect(result).toMatchObject({ kind: 'not_created', failure: { kind: 'rejected', status: 404, code: 'source_not_found' } });
  });
});
