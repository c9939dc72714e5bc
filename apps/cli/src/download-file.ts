import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export interface SavedFile {
  file: string;
  bytes: number;
  sha256: string;
}

export interface SaveOptions {
  /** Bytes the server announced (Content-Length); a shorter body is an error, never a saved file. */
  expectedBytes: number | null;
  /** The sha256 the server announced (its ETag), checked before the file is kept. */
  expectedSha256: string | null;
  onChunk(bytes: number): void;
  signal: AbortSignal;
}

/**
 * Streams a response body to `target` without holding it in memory: into a temporary file next to it, which is
 * renamed over `target` only once every byte arrived and the checksum matches. An interrupted or corrupt download
 * leaves no file behind (and never a truncated one under the real name).
 */
export async function saveStream(
  body: WebReadableStream<Uint8Array>,
  target: string,
  options: SaveOptions,
): Promise<SavedFile> {
  const temporary = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(4).toString('hex')}.part`,
  );
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      hash.update(chunk);
      options.onChunk(chunk.length);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body), meter, createWriteStream(temporary, { flags: 'wx' }), {
      signal: options.signal,
    });
    const sha256 = hash.digest('hex');
    if (options.expectedBytes !== null && bytes !== options.expectedBytes) {
      throw new Error(`the download was cut short (${bytes} of ${options.expectedBytes} bytes)`);
    }
    if (options.expectedSha256 !== null && sha256 !== options.expectedSha256) {
      throw new Error('the downloaded file does not match the checksum the server announced');
    }
    await rename(temporary, target);
    return { file: target, bytes, sha256 };
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
