import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BadRequestError, NotFoundError, toFile } from 'openai';
import type { Video } from 'openai/resources/videos';
import { describe, expect, it } from 'vitest';
import { ASSETS_DIR } from '../src/assets';
import { bytesOf, manualClock, sdkFor, startTestSimulator, waitForStatus } from './helpers';

describe('a video generation through the real openai SDK', () => {
  it('creates (multipart, with a reference image), progresses, completes and downloads the real MP4', async () => {
    // Long enough that even a loaded machine polls several times while the job is in progress.
    const sim = await startTestSimulator({ generationMs: 600 });
    const client = sdkFor(sim);
    const reference = await toFile(Buffer.from('not really a png'), 'reference.png', { type: 'image/png' });

    const created = await client.videos.create({
      prompt: 'A paper boat on a rainy street',
      model: 'sora-2',
      seconds: '8',
      size: '1280x720',
      input_reference: reference,
    });
    expect(created).toMatchObject({
      object: 'video',
      status: 'queued',
      progress: 0,
      model: 'sora-2',
      seconds: '8',
      size: '1280x720',
      prompt: 'A paper boat on a rainy street',
      completed_at: null,
      expires_at: null,
      error: null,
      remixed_from_video_id: null,
    });
    expect(created.id).toMatch(/^video_[0-9a-f]{48}$/);
    expect(Number.isInteger(created.created_at)).toBe(true);

    const seen = await waitForStatus(client, created.id, 'completed');
    const progresses = seen.map((video) => video.progress);
    expect(progresses).toEqual([...progresses].sort((a, b) => a - b));
    expect(progresses.every((p) => Number.isInteger(p) && p >= 0 && p <= 100)).toBe(true);
    expect(
      seen.some((video) => video.status === 'in_progress' && video.progress > 0 && video.progress < 100),
    ).toBe(true);

    const done = seen.at(-1) as Video;
    expect(done.progress).toBe(100);
    expect(done.completed_at).toBeGreaterThanOrEqual(done.created_at);
    expect(done.expires_at).toBe((done.completed_at ?? 0) + 3600);

    const response = await client.videos.downloadContent(created.id);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    const bytes = await bytesOf(response);
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(bytes.equals(await readFile(join(ASSETS_DIR, 'videos/1280x720-8s.mp4')))).toBe(true);
    expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
  });

  it('serves a WebP thumbnail and a JPEG spritesheet', async () => {
    const sim = await startTestSimulator();
    const client = sdkFor(sim);
    const { id } = await client.videos.create({ prompt: 'thumbs [sim:duration=20]' });
    await waitForStatus(client, id, 'completed');

    const thumbnail = await client.videos.downloadContent(id, { variant: 'thumbnail' });
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    const webp = await bytesOf(thumbnail);
    expect([webp.subarray(0, 4).toString('latin1'), webp.subarray(8, 12).toString('latin1')]).toEqual([
      'RIFF',
      'WEBP',
    ]);

    const spritesheet = await client.videos.downloadContent(id, { variant: 'spritesheet' });
    expect(spritesheet.headers.get('content-type')).toBe('image/jpeg');
    expect([...(await bytesOf(spritesheet)).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });

  it('accepts a JSON create, dated model snapshots and the sora-2-pro sizes', async () => {
    const sim = await startTestSimulator();
    const response = await fetch(`${sim.url}/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        prompt: 'A lighthouse',
        model: 'sora-2-pro-2025-10-06',
        size: '1792x1024',
        seconds: '12',
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      model: 'sora-2-pro-2025-10-06',
      size: '1792x1024',
      seconds: '12',
      status: 'queued',
    });
  });

  it('refuses content before completion; once the download window has passed, 404 and status expired (as Sora)', async () => {
    const clock = manualClock();
    const sim = await startTestSimulator({ now: clock.now, generationMs: 10_000 });
    const client = sdkFor(sim);
    const { id } = await client.videos.create({ prompt: 'patience' });

    const early = await client.videos.downloadContent(id).catch((error: unknown) => error);
    expect(early).toBeInstanceOf(BadRequestError);
    expect((early as BadRequestError).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'video_not_ready',
    });

    clock.advance(10_000);
    const video = await client.videos.retrieve(id);
    expect(video.status).toBe('completed');
    expect(video.expires_at).toBe((video.completed_at ?? 0) + 3600);
    expect((await client.videos.downloadContent(id)).status).toBe(200);

    clock.advance(60 * 60 * 1000);
    await expect(client.videos.downloadContent(id)).rejects.toBeInstanceOf(NotFoundError);
    // The metadata outlives the content: Sora then reports the job `expired` (outside the 6.x types' union).
    expect(await client.videos.retrieve(id)).toMatchObject({
      status: 'expired',
      completed_at: video.completed_at,
      expires_at: video.expires_at,
    });
  });
});

describe('list, delete and remix', () => {
  it('pages with the after cursor in both orders, and the SDK auto-paginates', async () => {
    const clock = manualClock();
    const sim = await startTestSimulator({ now: clock.now });
    const client = sdkFor(sim);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await client.videos.create({ prompt: `clip ${i}` })).id);
    const newestFirst = [...ids].reverse();

    const first = await client.videos.list({ limit: 2 });
    expect(first.data.map((video) => video.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.has_more).toBe(true);
    expect(first.last_id).toBe(newestFirst[1]);
    const raw: unknown = await (await client.videos.list({ limit: 2 }).asResponse()).json();
    expect(raw).toMatchObject({
      object: 'list',
      first_id: newestFirst[0],
      last_id: newestFirst[1],
      has_more: true,
    });

    const second = await client.videos.list({ limit: 2, after: first.last_id });
    expect(second.data.map((video) => video.id)).toEqual(newestFirst.slice(2, 4));

    const all: string[] = [];
    for await (const video of client.videos.list({ limit: 2, order: 'asc' })) all.push(video.id);
    expect(all).toEqual(ids);

    const last = await client.videos.list({ limit: 2, after: newestFirst[3] });
    expect(last.data.map((video) => video.id)).toEqual([newestFirst[4]]);
    expect(last.has_more).toBe(false);

    const defaults = await client.videos.list();
    expect(defaults.data).toHaveLength(5);
  });

  it('deletes completed videos only, after which they are gone', async () => {
    const clock = manualClock();
    const sim = await startTestSimulator({ now: clock.now, generationMs: 1000 });
    const client = sdkFor(sim);
    const { id } = await client.videos.create({ prompt: 'short-lived' });

    await expect(client.videos.delete(id)).rejects.toBeInstanceOf(BadRequestError);
    clock.advance(1000);
    expect(await client.videos.delete(id)).toEqual({ id, object: 'video.deleted', deleted: true });

    await expect(client.videos.retrieve(id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.videos.downloadContent(id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await client.videos.list()).data).toEqual([]);
  });

  it('remixes a completed video into a new job that keeps its model, size and duration', async () => {
    const clock = manualClock();
    const sim = await startTestSimulator({ now: clock.now, generationMs: 1000 });
    const client = sdkFor(sim);
    const source = await client.videos.create({
      prompt: 'A red kite',
      model: 'sora-2-pro',
      size: '1024x1792',
      seconds: '8',
    });

    await expect(client.videos.remix(source.id, { prompt: 'Make it blue' })).rejects.toBeInstanceOf(
      BadRequestError,
    );
    clock.advance(1000);
    const remix = await client.videos.remix(source.id, { prompt: 'Make it blue' });
    expect(remix).toMatchObject({
      status: 'queued',
      prompt: 'Make it blue',
      remixed_from_video_id: source.id,
      model: 'sora-2-pro',
      size: '1024x1792',
      seconds: '8',
    });
    expect(remix.id).not.toBe(source.id);
    clock.advance(1000);
    expect((await client.videos.retrieve(remix.id)).status).toBe('completed');
  });
});
