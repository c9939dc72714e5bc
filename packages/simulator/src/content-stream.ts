import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** A response body known by its length and produced piece by piece, so even a multi-GB body is never in memory. */
export interface ContentBody {
  length: number;
  chunks(): Iterable<Buffer>;
}

const CHUNK_BYTES = 64 * 1024;
/** One shared block of zeros: padding is this same buffer written again and again (it is never mutated). */
const ZEROS = Buffer.alloc(CHUNK_BYTES);
const MAX_BOX32 = 0xffff_ffff;

export function bufferBody(bytes: Buffer): ContentBody {
  return { length: bytes.length, chunks: () => sliced(bytes, CHUNK_BYTES) };
}

/**
 * The MP4 followed by a top-level `free` box that pads it to `totalBytes`. Players skip `free` boxes, so the file stays
 * a valid, playable MP4 of any size. When `totalBytes` leaves no room for a box header, the MP4 is served as is.
 */
export function paddedMp4Body(mp4: Buffer, totalBytes: number): ContentBody {
  const padding = Math.floor(totalBytes) - mp4.length;
  if (padding < 8) return bufferBody(mp4);
  const header = freeBoxHeader(padding);
  return {
    length: mp4.length + padding,
    *chunks() {
      yield* sliced(mp4, CHUNK_BYTES);
      yield header;
      let zeros = padding - header.length;
      while (zeros > 0) {
        const size = Math.min(zeros, CHUNK_BYTES);
        yield size === CHUNK_BYTES ? ZEROS : ZEROS.subarray(0, size);
        zeros -= size;
      }
    },
  };
}

/** The header of a `free` box of `boxSize` bytes in total (header included): 32-bit size, or 64-bit `largesize`. */
export function freeBoxHeader(boxSize: number): Buffer {
  if (boxSize <= MAX_BOX32) {
    const header = Buffer.alloc(8);
    header.writeUInt32BE(boxSize, 0);
    header.write('free', 4, 'latin1');
    return header;
  }
  const header = Buffer.alloc(16);
  header.writeUInt32BE(1, 0);
  header.write('free', 4, 'latin1');
  header.writeBigUInt64BE(BigInt(boxSize), 8);
  return header;
}

/** Spreads the body over about `totalMs`: pieces of a twentieth of it, each followed by its share of the time. */
export async function* paced(
  chunks: Iterable<Buffer>,
  totalBytes: number,
  totalMs: number,
  signal: AbortSignal,
): AsyncGenerator<Buffer> {
  const pieceBytes = Math.max(1, Math.ceil(totalBytes / 20));
  for (const chunk of chunks) {
    for (const piece of sliced(chunk, pieceBytes)) {
      yield piece;
      await sleep((totalMs * piece.length) / totalBytes, undefined, { signal });
    }
  }
}

/** The first `limit` bytes of the body. */
export function* truncated(chunks: Iterable<Buffer>, limit: number): Generator<Buffer> {
  let left = limit;
  for (const chunk of chunks) {
    if (left <= 0) return;
    yield chunk.length <= left ? chunk : chunk.subarray(0, left);
    left -= chunk.length;
  }
}

/**
 * Writes chunks one at a time, each waiting until the socket took it (natural backpressure). Resolves false as soon as
 * the connection is gone, so an abandoned download stops producing bytes.
 */
export async function writeChunks(
  res: ServerResponse,
  chunks: Iterable<Buffer> | AsyncIterable<Buffer>,
): Promise<boolean> {
  try {
    for await (const chunk of chunks) {
      if (!(await writeChunk(res, chunk))) return false;
    }
    return true;
  } catch (error) {
    // The pacing sleep is aborted when the client goes away; anything else is a real fault.
    if (error instanceof Error && error.name === 'AbortError') return false;
    throw error;
  }
}

function writeChunk(res: ServerResponse, chunk: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve(false);
    const onClose = () => resolve(false);
    res.once('close', onClose);
    res.write(chunk, (error) => {
      res.off('close', onClose);
      resolve(!error);
    });
  });
}

function* sliced(bytes: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}
