import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { BlobSizeMismatchError, type BlobStore, type StoredBlob } from './types';

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

function assertSafeKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`Invalid blob key: ${JSON.stringify(key)}`);
}

/**
 * Blobs as files under one directory. Each write streams through a hash into a temporary file in the same
 * directory tree and is renamed into place only when complete, so memory stays flat and no reader ever sees half
 * a video.
 */
export function createFsBlobStore(root: string): BlobStore {
  const tmpDir = path.join(root, '.tmp');
  const fileFor = (key: string) => {
    assertSafeKey(key);
    return path.join(root, key);
  };

  return {
    async put(key, body, { signal, expectedSize } = {}): Promise<StoredBlob> {
      const finalPath = fileFor(key);
      await mkdir(tmpDir, { recursive: true });
      await mkdir(path.dirname(finalPath), { recursive: true });
      const tmpPath = path.join(tmpDir, `${randomUUID()}.part`);
      const hash = createHash('sha256');
      let size = 0;
      const measure = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      });
      const source = body instanceof Readable ? body : Readable.fromWeb(body as WebReadableStream<Uint8Array>);
      try {
        await pipeline(source, measure, createWriteStream(tmpPath, { flush: true }), signal ? { signal } : {});
        if (expectedSize != null && expectedSize !== size) throw new BlobSizeMismatchError(expectedSize, size);
        await rename(tmpPath, finalPath);
      } catch (error) {
        await rm(tmpPath, { force: true });
        throw error;
      }
      return { key, size, sha256: hash.digest('hex') };
    },

    async stat(key) {
      try {
        const info = await stat(fileFor(key));
        return { size: info.size };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },

    read(key, range) {
      return createReadStream(fileFor(key), range ? { start: range.start, end: range.end } : {});
    },

    async delete(key) {
      await rm(fileFor(key), { force: true });
    },

    async deletePrefix(prefix) {
      const folder = prefix.replace(/\/+$/, '');
      await rm(fileFor(folder), { recursive: true, force: true });
    },
  };
}
