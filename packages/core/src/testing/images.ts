import { crc32, deflateSync } from 'node:zlib';

// Real, decodable test images made in memory, so tests need no fixture files.

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid PNG of `width` x `height` (8-bit RGB): one flat colour, or with `noise` pseudo-random pixels that do not
 * compress (a file of about width x height x 3 bytes, for size limits).
 */
export function makePng(width: number, height: number, { rgb = [40, 90, 160], noise = false }: { rgb?: [number, number, number]; noise?: boolean } = {}): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, no filter method, no interlace
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  let seed = 1;
  const pixels = Buffer.concat(
    Array.from({ length: height }, () => {
      if (!noise) return row;
      const noisy = Buffer.alloc(1 + width * 3);
      for (let i = 1; i < noisy.length; i++) noisy[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
      return noisy;
    }),
  );
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 1x1 GIF: a real image, of a type the Videos API does not take as a reference. */
export const TINY_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
