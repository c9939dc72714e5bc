import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { ASSETS_DIR } from '../src/assets';
import { freeBoxHeader } from '../src/content-stream';
import { bytesOf, manualClock, sdkFor, startTestSimulator } from './helpers';

const MIB = 1024 * 1024;

/** Top-level MP4 boxes as [type, size]; throws if they do not tile the file exactly. */
function topLevelBoxes(bytes: Buffer): Array<[string, number]> {
  const boxes: Array<[string, number]> = [];
  let offset = 0;
  while (offset < bytes.length) {
    let size = bytes.readUInt32BE(offset);
    const type = bytes.subarray(offset + 4, offset + 8).toString('latin1');
    if (size === 1) size = Number(bytes.readBigUInt64BE(offset + 8));
    if (size < 8 || offset + size > bytes.length)
      throw new Error(`box '${type}' at ${offset} has a bad size ${size}`);
    boxes.push([type, size]);
    offset += size;
  }
  return boxes;
}

async function completedVideo(
  prompt: string,
): Promise<{ client: OpenAI; id: string; sim: Awaited<ReturnType<typeof startTestSimulator>> }> {
  const clock = manualClock();
  const sim = await startTestSimulator({ now: clock.now, generationMs: 1000 });
  const client = sdkFor(sim);
  const { id } = await client.videos.create({ prompt });
  clock.advance(1000);
  return { client, id, sim };
}

describe('video content', () => {
  it('[sim:size-mb=N] serves exactly N MiB: the real MP4 then a free box, still a well-formed MP4', async () => {
    const asset = await readFile(join(ASSETS_DIR, 'videos/720x1280-4s.mp4'));
    const { client, id } = await completedVideo('big [sim:size-mb=1.5]');
    const response = await client.videos.downloadContent(id);
    expect(Number(response.headers.get('content-length'))).toBe(1.5 * MIB);
    const bytes = await bytesOf(response);

    expect(bytes.length).toBe(1.5 * MIB);
    expect(bytes.subarray(0, asset.length).equals(asset)).toBe(true);
    const boxes = topLevelBoxes(bytes);
    expect(boxes.map(([type]) => type)).toEqual([...topLevelBoxes(asset).map(([type]) => type), 'free']);
    expect(boxes.at(-1)).toEqual(['free', 1.5 * MIB - asset.length]);
    expect(bytes.subarray(asset.length + 8).every((byte) => byte === 0)).toBe(true);
  });

  it('pads with a 64-bit free box beyond 4 GiB', () => {
    const header = freeBoxHeader(5 * 1024 * MIB);
    expect(header.readUInt32BE(0)).toBe(1);
    expect(header.subarray(4, 8).toString('latin1')).toBe('free');
    expect(header.readBigUInt64BE(8)).toBe(5n * 1024n * BigInt(MIB));
  });

  it('[sim:slow-download] trickles the same bytes out in many small pieces', async () => {
    const asset = await readFile(join(ASSETS_DIR, 'videos/720x1280-4s.mp4'));
    const { client, id } = await completedVideo('patience [sim:slow-download=200]');
    const response = await client.videos.downloadContent(id);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const pieces: Uint8Array[] = [];
    for (let read = await reader.read(); !read.done; read = await reader.read()) pieces.push(read.value);
    expect(Buffer.concat(pieces).equals(asset)).toBe(true);
    expect(pieces.length).toBeGreaterThanOrEqual(10);
  });

  it('[sim:download-reset] promises the full length, sends half, then cuts the connection', async () => {
    const asset = await readFile(join(ASSETS_DIR, 'videos/720x1280-4s.mp4'));
    const { client, id, sim } = await completedVideo('unlucky [sim:download-reset]');
    const response = await client.videos.downloadContent(id);
    expect(Number(response.headers.get('content-length'))).toBe(asset.length);
    await expect(response.arrayBuffer()).rejects.toThrow();

    const download = sim.requests().find((entry) => entry.path.endsWith('/content'));
    expect(download).toMatchObject({ status: 200, aborted: true, videoId: id });
  });

  it('close() cuts a download still in flight instead of waiting for it', async () => {
    const { client, id, sim } = await completedVideo('endless [sim:slow-download=600000]');
    const response = await client.videos.downloadContent(id);
    const body = response.arrayBuffer();
    await sim.close();
    await expect(body).rejects.toThrow();
  });
});
