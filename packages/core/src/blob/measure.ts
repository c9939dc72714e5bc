import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { BlobSizeMismatchError } from './types';

export type BlobBody = ReadableStream<Uint8Array> | Readable;

export function toNodeReadable(body: BlobBody): Readable {
  return body instanceof Readable ? body : Readable.fromWeb(body as WebReadableStream<Uint8Array>);
}

/**
 * A pass-through that hashes and counts the bytes on their way to a store. When an `expectedSize` is known, a body
 * that ends short (or long) fails in `flush`, before the store sees the end of the stream: the store then never
 * completes the write, so no reader can see a truncated video.
 */
export function createMeasuringStream(expectedSize?: number | null): {
  stream: Transform;
  result(): { size: number; sha256: string };
} {
  const hash = createHash('sha256');
  let size = 0;
  let digest: string | null = null;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      if (expectedSize != null && expectedSize !== size) return callback(new BlobSizeMismatchError(expectedSize, size));
      digest = hash.digest('hex');
      callback();
    },
  });
  return {
    stream,
    result() {
      if (digest === null) throw new Error('The blob body has not been read to its end');
      return { size, sha256: digest };
    },
  };
}
