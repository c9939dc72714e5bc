import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeKey, safeFolder } from './keys';
import { createMeasuringStream, toNodeReadable, type BlobBody } from './measure';
import { BlobNotFoundError, type BlobStore, type ListedBlob, type StoredBlob } from './types';

/** Where unfinished writes live, inside the root so the final rename stays on one filesystem. */
const TMP_DIR = '.tmp';
const LIST_PAGE = 500;

function cancelUnread(body: BlobBody): void {
  if (body instanceof Readable) body.destroy();
  else body.cancel().catch(() => {});
}

/**
 * Blobs as files under one directory. Each write streams through a hash into a temporary file in the same
 * directory tree and is renamed into place only when complete, so memory stays flat and no reader ever sees half
 * a video.
 */
export function createFsBlobStore(root: string): BlobStore {
  const tmpDir = path.join(root, TMP_DIR);
  const fileFor = (key: string) => {
    assertSafeKey(key);
    return path.join(root, key);
  };

  return {
    kind: 'fs',

    async put(key, body, { signal, expectedSize } = {}): Promise<StoredBlob> {
      const tmpPath = path.join(tmpDir, `${randomUUID()}.part`);
      const measure = createMeasuringStream(expectedSize);
      let file: FileHandle | null = null;
      let reading = false;
      try {
        const finalPath = fileFor(key);
        await mkdir(tmpDir, { recursive: true });
        await mkdir(path.dirname(finalPath), { recursive: true });
        // Created here, before any byte flows: a write stream opening its own file may create it only after a failed
        // pipeline has already rejected (it does not wait for the stream to close), so the cleanup below would run
        // first and the file would stay. The stream closes the handle.
        file = await open(tmpPath, 'wx');
        // Wrapped only now: a web body that fails while nobody listens yet would be an uncaught error.
        const source = toNodeReadable(body);
        reading = true;
        await pipeline(source, measure.stream, createWriteStream('', { fd: file, flush: true }), signal ? { signal } : {});
        await rename(tmpPath, finalPath);
      } catch (error) {
        // A body never read (bad key, full disk) is cancelled, which frees its connection; pipeline() ends the others.
        if (!reading) {
          cancelUnread(body);
          await file?.close();
        }
        if (file) await rm(tmpPath, { force: true });
        throw error;
      }
      return { key, ...measure.result() };
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

    async read(key, range) {
      // Opened here so a missing file rejects now, before the caller has sent a status line.
      const file = fileFor(key);
      const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? new BlobNotFoundError(key) : error;
      });
      return createReadStream(file, { fd: handle, ...(range ? { start: range.start, end: range.end } : {}) });
    },

    async delete(key) {
      await rm(fileFor(key), { force: true });
    },

    async deletePrefix(prefix) {
      await rm(fileFor(safeFolder(prefix)), { recursive: true, force: true });
    },

    async *list(prefix) {
      const folder = prefix.replace(/\/+$/, '');
      const start = folder === '' ? root : fileFor(folder);
      const entries = await readdir(start, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      });
      let page: ListedBlob[] = [];
      for (const entry of entries) {
        if (!entry.isFile()) continue;
        const file = path.join(entry.parentPath, entry.name);
        const key = path.relative(root, file).split(path.sep).join('/');
        if (key.startsWith(`${TMP_DIR}/`)) continue;
        const info = await stat(file).catch(() => null); // deleted since the listing: not a leftover
        if (info) page.push({ key, size: info.size, modifiedAt: info.mtime });
        if (page.length >= LIST_PAGE) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    },

    async removeIncomplete(before) {
      const names = await readdir(tmpDir).catch(() => [] as string[]);
      let removed = 0;
      for (const name of names) {
        const file = path.join(tmpDir, name);
        // A write in progress touches its file with every chunk, so an old mtime means nobody is writing it.
        const info = await stat(file).catch(() => null);
        if (info && info.mtime < before) {
          await rm(file, { force: true });
          removed += 1;
        }
      }
      return removed;
    },
  };
}
