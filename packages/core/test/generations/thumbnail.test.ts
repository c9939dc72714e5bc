import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { claimVideoForRefresh } from '@sora-monitor/db';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshClaimed, toStatusView, type GenerationDeps } from '../../src/generations';
import { createOpenAIProvider } from '../../src/provider';
import { startHarness, startVideo, waitUntil, type Harness, type TestUser } from '../router/harness';
import { startFakeGateway, type FakeGateway, type GatewayAnswer } from '../support/fake-gateway';

const asset = (file: string) =>
  readFile(fileURLToPath(new URL(`../../../simulator/assets/${file}`, import.meta.url)));

let h: Harness;
let ada: TestUser;
let mp4: Buffer;
let jpeg: Buffer;

beforeAll(async () => {
  [mp4, jpeg] = await Promise.all([asset('video.mp4'), asset('spritesheet.jpg')]);
  h = await startHarness();
  ada = await h.signUp('ada');
});
afterAll(() => h?.close());

/**
 * Finishes a generation through the one refresh path: status from the simulator, content from `gateway` (the real SDK
 * over HTTP either way). Returns the committed row and the files stored for the video.
 */
async function finishWithContentFrom(prompt: string, answer: (variant: string | null) => GatewayAnswer) {
  let gateway: FakeGateway | null = null;
  try {
    gateway = await startFakeGateway((url) => answer(url.searchParams.get('variant')));
    const content = createOpenAIProvider({ client: new OpenAI({ apiKey: 'test', baseURL: gateway.url }) });
    const deps: GenerationDeps = {
      ...h.services.generations,
      provider: { ...h.services.generations.provider, download: content.download },
    };

    const { video, started } = await startVideo(ada.caller, prompt);
    await waitUntil(
      () => deps.provider.retrieve(started.jobId!),
      (result) => result.kind === 'video' && result.video.status === 'completed',
    );
    const owner = deps.nextLeaseOwner();
    const claim = await claimVideoForRefresh(h.db.db, {
      videoId: video.id,
      owner,
      freshForMs: 0,
      leaseMs: 60_000,
    });
    const result = await refreshClaimed(deps, claim!.video, new Date(claim!.dbNowMs), owner, 'poller');
    const files = await readdir(path.join(h.blobDir, 'videos', video.id));
    return { row: result.video, files, requests: gateway.requests, jobId: started.jobId! };
  } finally {
    await gateway?.close();
  }
}

describe('thumbnails are stored only when the bytes are an image', () => {
  it('a variant-blind gateway (LiteLLM) sends the MP4 as the thumbnail: the video completes with no preview', async () => {
    const { row, files, requests, jobId } = await finishWithContentFrom('Variant blind', () => ({
      contentType: 'video/mp4',
      body: mp4,
    }));
    expect(requests).toEqual([
      `GET /v1/videos/${jobId}/content?variant=video`,
      `GET /v1/videos/${jobId}/content?variant=thumbnail`,
    ]);
    expect(row).toMatchObject({
      soraGenerationStatus: 'completed',
      thumbnailBlobKey: null,
      blobSize: mp4.length,
    });
    expect(files).toEqual([`${jobId}.mp4`]);
    // The UI gets no thumbnail URL, so it shows its "No preview" placeholder instead of waiting for one.
    expect(toStatusView(row)).toMatchObject({
      status: 'completed',
      thumbnailUrl: null,
      videoUrl: `/api/videos/${row.id}/content`,
    });
  });

  it('the header is not trusted either way: an MP4 labelled image/webp is refused', async () => {
    const { row, files, jobId } = await finishWithContentFrom('Lying header', (variant) =>
      variant === 'thumbnail'
        ? { contentType: 'image/webp', body: mp4 }
        : { contentType: 'video/mp4', body: mp4 },
    );
    expect(row.thumbnailBlobKey).toBeNull();
    expect(files).toEqual([`${jobId}.mp4`]);
  });

  it('…and a real JPEG labelled application/octet-stream is stored, as .jpg, byte for byte', async () => {
    const { row, files, jobId } = await finishWithContentFrom('Unlabelled JPEG', (variant) =>
      variant === 'thumbnail'
        ? { contentType: 'application/octet-stream', body: jpeg }
        : { contentType: 'video/mp4', body: mp4 },
    );
    expect(row.thumbnailBlobKey).toBe(`videos/${row.id}/${jobId}.thumbnail.jpg`);
    expect(files.sort()).toEqual([`${jobId}.mp4`, `${jobId}.thumbnail.jpg`]);
    expect((await readFile(path.join(h.blobDir, row.thumbnailBlobKey!))).equals(jpeg)).toBe(true);
    expect(toStatusView(row).thumbnailUrl).toBe(`/api/videos/${row.id}/content?variant=thumbnail`);
  });

  it('a thumbnail shorter than any signature (or empty) is no image', async () => {
    const { row, files, jobId } = await finishWithContentFrom('Tiny thumbnail', (variant) =>
      variant === 'thumbnail'
        ? { contentType: 'image/png', body: Buffer.from([0x89, 0x50]) }
        : { contentType: 'video/mp4', body: mp4 },
    );
    expect(row).toMatchObject({ soraGenerationStatus: 'completed', thumbnailBlobKey: null });
    expect(files).toEqual([`${jobId}.mp4`]);
  });
});
