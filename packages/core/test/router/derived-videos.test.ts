import { buffer } from 'node:stream/consumers';
import { soraGenerations, videos } from '@sora-monitor/db';
import { derivationSignature } from '@sora-monitor/simulator';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getVideoById } from '../../src/generations';
import { makePng, TINY_GIF } from '../../src/testing/images';
import {
  expectTRPCError,
  pollStatus,
  startHarness,
  startVideo,
  type Harness,
  type TestUser,
  type VideoView,
} from './harness';

/*
 * Remix, edit, extend and image-to-video through the router (createCaller), the real openai SDK and the simulator
 * over HTTP, on a real database: each is started on the same path as any generation, followed to the end, stored and
 * billed; bad input is refused with a clear error before anything is stored, sent upstream or billed.
 */

let h: Harness;
let ada: TestUser;
let mallory: TestUser;
let source: VideoView;
let sourceJobId: string;

beforeAll(async () => {
  h = await startHarness();
  ada = await h.signUp('ada');
  mallory = await h.signUp('mallory');
  const { video } = await startVideo(ada.caller, 'A paper boat on a pond', { seconds: 8 });
  const done = await pollStatus(ada.caller, video.id, ['completed']);
  source = video;
  sourceJobId = done.jobId!;
});
afterAll(() => h?.close());

async function storedContent(videoId: string): Promise<string> {
  const row = await getVideoById(h.db.db, videoId);
  return (await buffer(await h.services.generations.blobs.read(row!.blobKey!))).toString('latin1');
}

/** Everything that would show a refused call did something: upstream requests, videos, attempts. */
async function trace() {
  return {
    requests: h.sim.requests().length,
    videos: await h.db.db.select({ id: videos.id }).from(videos).orderBy(asc(videos.id)),
    attempts: await h.db.db.select({ id: soraGenerations.id }).from(soraGenerations).orderBy(asc(soraGenerations.id)),
  };
}

async function expectRefused(call: () => Promise<unknown>, code: string, message: RegExp) {
  const before = await trace();
  const { error } = await expectTRPCError(call);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
  expect(await trace()).toEqual(before);
}

describe('sora.remix', () => {
  it('makes a new video from a completed one through videos.remix, followed, stored and billed like any other', async () => {
    const remix = await ada.caller.sora.remix({ videoId: source.id, prompt: 'The same boat, at night' });
    expect(remix.id).not.toBe(source.id);
    expect(remix.lineage).toEqual({ operation: 'remix', sourceVideoId: source.id, extensionSeconds: null, referenceImageUrl: null });
    expect({ model: remix.model, size: remix.size, seconds: remix.seconds }).toEqual({ model: source.model, size: source.size, seconds: 8 });
    expect(['queued', 'in_progress']).toContain(remix.generation.status);

    const done = await pollStatus(ada.caller, remix.id, ['completed']);
    expect(done.cost).toBe(0.8);
    expect(h.sim.requests().some((entry) => entry.method === 'POST' && entry.path === `/v1/videos/${sourceJobId}/remix`)).toBe(true);
    // The stored MP4 is the simulator's remix of the source job, not a plain generation.
    expect(await storedContent(remix.id)).toContain(derivationSignature({ kind: 'remix', sourceId: sourceJobId }));

    const remixes = await ada.caller.videos.list({ sourceVideoId: source.id });
    expect(remixes.items.map((item) => item.id)).toContain(remix.id);
    expect(remixes.items.every((item) => item.lineage.sourceVideoId === source.id)).toBe(true);
    expect((await mallory.caller.videos.list({ sourceVideoId: source.id })).items).toEqual([]);
  });

  it('recovers a remix whose create answer was lost by looking the job up, without a second job', async () => {
    const remix = await ada.caller.sora.remix({ videoId: source.id, prompt: 'Lost answer [sim:lost-create]' });
    const done = await pollStatus(ada.caller, remix.id, ['completed']);
    const history = await ada.caller.sora.history({ videoId: remix.id });
    expect(history.events.find((event) => event.type === 'job_created')?.data).toMatchObject({ jobId: done.jobId, reconciled: true });
    // One remix request made the job; nothing asked for a second one.
    const remixCalls = h.sim.requests().filter((entry) => entry.method === 'POST' && entry.path === `/v1/videos/${sourceJobId}/remix`);
    expect(remixCalls.filter((entry) => entry.aborted)).toHaveLength(1);
    expect(await storedContent(remix.id)).toContain(derivationSignature({ kind: 'remix', sourceId: sourceJobId }));
  });

  it("refuses someone else's source as NOT_FOUND, with nothing sent or written", async () => {
    await expectRefused(() => mallory.caller.sora.remix({ videoId: source.id, prompt: 'Mine now' }), 'NOT_FOUND', /Video not found/);
  });

  it('refuses a source that is not completed, naming its state', async () => {
    const { video } = await startVideo(ada.caller, 'Still rendering [sim:duration=60000]');
    await expectRefused(
      () => ada.caller.sora.remix({ videoId: video.id, prompt: 'Too early' }),
      'BAD_REQUEST',
      /Only a completed video can be remixed; this one is (queued|in progress)/,
    );
    const notStarted = await ada.caller.videos.create({ prompt: 'Never started' });
    await expectRefused(
      () => ada.caller.sora.extend({ videoId: notStarted.id, prompt: 'Too early', seconds: 4 }),
      'BAD_REQUEST',
      /Only a completed video can be extended; this one is not started/,
    );
  });

  it('refuses an empty prompt naming the field', async () => {
    const { error } = await expectTRPCError(() => ada.caller.sora.remix({ videoId: source.id, prompt: '  ' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('prompt must not be empty');
  });
});

describe('sora.edit and sora.extend', () => {
  it('edits a completed video through videos.edit', async () => {
    const edit = await ada.caller.sora.edit({ videoId: source.id, prompt: 'Make the boat red' });
    expect(edit.lineage.operation).toBe('edit');
    await pollStatus(ada.caller, edit.id, ['completed']);
    expect(h.sim.requests().some((entry) => entry.method === 'POST' && entry.path === '/v1/videos/edits' && entry.videoId === edit.generation.jobId)).toBe(true);
    expect(await storedContent(edit.id)).toContain(derivationSignature({ kind: 'edit', sourceId: sourceJobId }));
  });

  it('extends a completed video through videos.extend; the new video is the stitched length', async () => {
    const extension = await ada.caller.sora.extend({ videoId: source.id, prompt: 'The boat sails on', seconds: 4 });
    expect(extension.lineage).toMatchObject({ operation: 'extend', sourceVideoId: source.id, extensionSeconds: 4 });
    expect(extension.seconds).toBe(12);
    const done = await pollStatus(ada.caller, extension.id, ['completed']);
    expect(done.cost).toBe(1.2);
    expect(await storedContent(extension.id)).toContain(derivationSignature({ kind: 'extension', sourceId: sourceJobId }));
  });

  it('refuses an extension length the API does not take, naming the field', async () => {
    const { error } = await expectTRPCError(() =>
      ada.caller.sora.extend({ videoId: source.id, prompt: 'Longer', seconds: 5 as 4 }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('seconds must be one of 4, 8, 12');
  });
});

describe('videos.create with a reference image', () => {
  const png = makePng(720, 1280);

  it('stores the checked image with the video and sends it upstream as input_reference', async () => {
    const video = await ada.caller.videos.create({ prompt: 'Animate this', size: '720x1280', image: png.toString('base64') });
    expect(video.lineage.referenceImageUrl).toBe(`/api/videos/${video.id}/content?variant=reference`);
    const row = await getVideoById(h.db.db, video.id);
    expect(row!.referenceImageKey).toBe(`videos/${video.id}/reference.png`);
    expect(await buffer(await h.services.generations.blobs.read(row!.referenceImageKey!))).toEqual(png);

    await ada.caller.sora.generate({ videoId: video.id });
    const done = await pollStatus(ada.caller, video.id, ['completed']);
    expect(done.cost).toBe(0.4);
  });

  it('refuses a file that is not an image', async () => {
    await expectRefused(
      () => ada.caller.videos.create({ prompt: 'x', image: Buffer.from('just some text, not pixels').toString('base64') }),
      'BAD_REQUEST',
      /not a JPEG, PNG or WebP image/,
    );
  });

  it('refuses an image of another type (GIF)', async () => {
    await expectRefused(() => ada.caller.videos.create({ prompt: 'x', image: TINY_GIF.toString('base64') }), 'BAD_REQUEST', /not a JPEG, PNG or WebP/);
  });

  it('refuses an image whose dimensions do not match the size', async () => {
    await expectRefused(
      () => ada.caller.videos.create({ prompt: 'x', size: '1280x720', image: png.toString('base64') }),
      'BAD_REQUEST',
      /The image is 720x1280; a 1280x720 video needs an image of exactly 1280x720 pixels/,
    );
  });

  it('refuses a huge image before decoding it', async () => {
    const huge = Buffer.alloc(6 * 1024 * 1024, 1).toString('base64');
    await expectRefused(() => ada.caller.videos.create({ prompt: 'x', image: huge }), 'BAD_REQUEST', /image must be at most 5 MB/);
  });
});

describe('the spend cap and derived videos', () => {
  it('refuses a remix past the cap with nothing sent, and leaves no half-made video', async () => {
    const capped = await h.secondInstance({ settings: { dailySpendCapUsd: 0.5 } });
    const { createCaller } = await import('../../src');
    const caller = createCaller({
      ...capped,
      user: { id: ada.id, email: ada.email, name: ada.name, via: 'session' },
      headers: new Headers(),
      reauthenticate: () => Promise.resolve(null),
      logger: capped.generations.logger,
    });
    const videosBefore = await h.db.db.select({ id: videos.id }).from(videos);
    const blobsBefore = await blobKeys();
    await expectRefused(() => caller.sora.remix({ videoId: source.id, prompt: 'Over budget' }), 'FORBIDDEN', /Daily spending limit reached/);
    // createAndGenerate with a reference image: refused the same way, and the stored image is removed again.
    const image = makePng(720, 1280).toString('base64');
    await expectRefused(() => caller.sora.createAndGenerate({ prompt: 'Over budget', image }), 'FORBIDDEN', /Daily spending limit reached/);
    expect(await h.db.db.select({ id: videos.id }).from(videos)).toHaveLength(videosBefore.length);
    expect(await blobKeys()).toEqual(blobsBefore);
  });
});

describe('sora.createAndGenerate with a reference image', () => {
  it('creates the video, stores the checked image and starts the generation in one step', async () => {
    const png = makePng(720, 1280);
    const video = await ada.caller.sora.createAndGenerate({ prompt: 'Animate this at once', size: '720x1280', image: png.toString('base64') });
    expect(video.generation.status).toBe('queued');
    expect(video.lineage).toMatchObject({ operation: 'create', referenceImageUrl: `/api/videos/${video.id}/content?variant=reference` });
    const row = await getVideoById(h.db.db, video.id);
    expect(await buffer(await h.services.generations.blobs.read(row!.referenceImageKey!))).toEqual(png);
    await pollStatus(ada.caller, video.id, ['completed']);
  });

  it('refuses an image of the wrong dimensions before anything is created', async () => {
    await expectRefused(
      () => ada.caller.sora.createAndGenerate({ prompt: 'x', size: '1280x720', image: makePng(720, 1280).toString('base64') }),
      'BAD_REQUEST',
      /a 1280x720 video needs an image of exactly 1280x720 pixels/,
    );
  });
});

async function blobKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of h.services.generations.blobs.list('videos/')) keys.push(...page.map((blob) => blob.key));
  return keys.sort();
}

it('keeps the lineage columns when a source is deleted: the derived video stays, its source link is cleared', async () => {
  const { video } = await startVideo(ada.caller, 'Short-lived source');
  await pollStatus(ada.caller, video.id, ['completed']);
  const remix = await ada.caller.sora.remix({ videoId: video.id, prompt: 'Outlives its source' });
  await pollStatus(ada.caller, remix.id, ['completed']);
  await ada.caller.videos.delete({ videoId: video.id });
  const after = await ada.caller.videos.get({ videoId: remix.id });
  expect(after.lineage).toMatchObject({ operation: 'remix', sourceVideoId: null });
  const [row] = await h.db.db.select().from(videos).where(eq(videos.id, remix.id));
  expect(row!.sourceJobId).not.toBeNull();
});
