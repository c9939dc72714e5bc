import { REFERENCE_IMAGE_MAX_BASE64_LENGTH } from '@sora-monitor/core/domain';
import { makePng } from '@sora-monitor/core/testing/images';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpApp, type HttpApp, type SignedIn } from './support/http-app';

/*
 * A reference image over HTTP, as the web app sends it: base64 in videos.create (bodies above the app's 1 MiB limit
 * are taken on /trpc up to the image cap), then served by the content route to its owner only.
 */

const RANDOM_VIDEO_ID = '7d1c4c8e-2f4b-4a52-9a57-3f3b7b0c9e11';

let h: HttpApp;
let ada: SignedIn;
let mallory: SignedIn;

beforeAll(async () => {
  h = await startHttpApp();
  ada = await h.signUp('ada');
  mallory = await h.signUp('mallory');
});
afterAll(() => h?.close());

const reference = (user: SignedIn, videoId: string) =>
  h.inject({ method: 'GET', url: `/api/videos/${videoId}/content?variant=reference`, headers: { cookie: user.cookie } });

describe('a reference image over HTTP', () => {
  it('takes a photo-sized image (base64 over 1 MiB) and serves it back to its owner only', async () => {
    const png = makePng(720, 1280, { noise: true });
    expect(png.toString('base64').length).toBeGreaterThan(1_048_576);
    const video = await h.trpcData<{ id: string; lineage: { referenceImageUrl: string } }>(ada, 'mutation', 'videos.create', {
      prompt: 'Animate this photo',
      image: png.toString('base64'),
    });
    expect(video.lineage.referenceImageUrl).toBe(`/api/videos/${video.id}/content?variant=reference`);

    const own = await reference(ada, video.id);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('image/png');
    expect(own.headers['cache-control']).toBe('private, no-store');
    expect(own.rawPayload.equals(png)).toBe(true);

    const theirs = await reference(mallory, video.id);
    const nobodys = await reference(mallory, RANDOM_VIDEO_ID);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).toBe(nobodys.body);
  });

  it('answers 404 for a video made without an image', async () => {
    const video = await h.trpcData<{ id: string }>(ada, 'mutation', 'videos.create', { prompt: 'No image' });
    expect((await reference(ada, video.id)).statusCode).toBe(404);
  });

  it('refuses an image over the cap with a message naming it, and writes nothing', async () => {
    const before = await h.snapshot();
    // Just over the cap: the body is within /trpc's limit, so the input schema names the field.
    const response = await h.trpc(ada, 'mutation', 'videos.create', { prompt: 'Too big', image: 'A'.repeat(REFERENCE_IMAGE_MAX_BASE64_LENGTH + 4) });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('image must be at most 5 MB');
    // Far over it: refused by the body limit before anything is parsed.
    const huge = await h.trpc(ada, 'mutation', 'videos.create', { prompt: 'Far too big', image: 'A'.repeat(8_000_000) });
    expect(huge.statusCode).toBe(413);
    expect(await h.snapshot()).toEqual(before);
  });
});
