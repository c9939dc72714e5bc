import { describe, expect, it } from 'vitest';
import { VIDEO_SECONDS, VIDEO_SIZES } from '../src/wire';
import { bytesOf, manualClock, sdkFor, startTestSimulator } from './helpers';

/** The children of the MP4 box at `path` (e.g. ['moov', 'trak']), as [type, body] pairs. */
function boxes(bytes: Buffer, start = 0, end = bytes.length): [string, Buffer][] {
  const found: [string, Buffer][] = [];
  for (let offset = start; offset + 8 <= end; ) {
    const size = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    if (size < 8) throw new Error(`bad box ${type} at ${offset}`);
    found.push([type, bytes.subarray(offset + 8, offset + size)]);
    offset += size;
  }
  return found;
}
const child = (parent: Buffer, type: string) => boxes(parent).find(([t]) => t === type)?.[1];

/** Width, height (of the video track) and duration in seconds, read from the MP4 itself. */
function mp4Facts(bytes: Buffer): { width: number; height: number; seconds: number } {
  const moov = boxes(bytes).find(([type]) => type === 'moov')?.[1];
  if (!moov) throw new Error('no moov box');
  const mvhd = child(moov, 'mvhd')!;
  // Version 0: version/flags, creation, modification, then timescale and duration.
  const seconds = mvhd.readUInt32BE(16) / mvhd.readUInt32BE(12);
  for (const [type, trak] of boxes(moov)) {
    if (type !== 'trak') continue;
    const tkhd = child(trak, 'tkhd')!;
    // Width and height are the last 8 bytes, 16.16 fixed point; audio tracks have 0.
    const width = tkhd.readUInt32BE(tkhd.length - 8) / 65536;
    const height = tkhd.readUInt32BE(tkhd.length - 4) / 65536;
    if (width > 0) return { width, height, seconds };
  }
  throw new Error('no video track');
}

describe('what a job asks for is what its video is', () => {
  it.each(VIDEO_SIZES.flatMap((size) => VIDEO_SECONDS.map((seconds) => [size, seconds] as const)))(
    '%s for %s s: the served MP4 has that size and length',
    async (size, seconds) => {
      const clock = manualClock();
      const sim = await startTestSimulator({ now: clock.now, generationMs: 1000 });
      try {
        const client = sdkFor(sim);
        const model = size === '1024x1792' || size === '1792x1024' ? 'sora-2-pro' : 'sora-2';
        const created = await client.videos.create({ prompt: 'a test pattern', model, size, seconds });
        clock.advance(1000);
        const bytes = await bytesOf(await client.videos.downloadContent(created.id));
        const [width, height] = size.split('x').map(Number);
        const facts = mp4Facts(bytes);
        expect({ width: facts.width, height: facts.height }).toEqual({ width, height });
        expect(Math.round(facts.seconds)).toBe(Number(seconds));
        // Small enough to ship: a low-bitrate test pattern.
        expect(bytes.length).toBeLessThan(32 * 1024);
      } finally {
        await sim.close();
      }
    },
  );
});
