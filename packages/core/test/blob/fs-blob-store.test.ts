import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFsBlobStore, type BlobStore } from '../../src/blob';

let root: string;
let store: BlobStore;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'blobs-'));
  store = createFsBlobStore(root);
});

function webStream(chunks: Uint8Array[], failAfter?: number): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      if (failAfter !== undefined && index === failAfter) return controller.error(new Error('connection reset'));
      const chunk = chunks[index++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
}

// The behaviour both stores share is in blob-store-contract.test.ts; these are the filesystem store's own races.
describe('filesystem blob store', () => {
  it('cancels a body it refuses without reading it, which frees its connection', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      cancel() {
        cancelled = true;
      },
    });
    await expect(store.put('../escape', body)).rejects.toThrow('Invalid blob key');
    expect(cancelled).toBe(true);
  });
});

/** Everything under the store's directory, as relative paths. */
async function allFiles(): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

/** A body that never ends on its own. */
const endless = () => new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(randomBytes(16_384)) });

// One after another, cut at every point from before the first byte to the last, a few hundred times: a write stream
// still opening its temporary file when the transfer was cut used to create it after the cleanup had run (rarely:
// a race between two threads of libuv's pool, which these loops hit in most runs of the old code).
describe('cut transfers leave no file behind', () => {
  const ROUNDS = 200;

  it('a body that fails mid-way, at any point', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const body = webStream([randomBytes(16_384), randomBytes(16_384), randomBytes(16_384)], i % 4);
      await expect(store.put(`videos/cut/${i}.mp4`, body)).rejects.toThrow('connection reset');
    }
    expect(await allFiles()).toEqual([]);
  });

  it('a body aborted by the signal, at any point', async () => {
    const abortAt: Array<(abort: () => void) => void> = [
      (abort) => abort(),
      (abort) => queueMicrotask(abort),
      (abort) => setImmediate(abort),
      (abort) => setTimeout(abort, 1),
    ];
    for (let i = 0; i < ROUNDS; i++) {
      const controller = new AbortController();
      const put = store.put(`videos/aborted/${i}.mp4`, endless(), { signal: controller.signal });
      abortAt[i % abortAt.length]!(() => controller.abort());
      await expect(put).rejects.toThrow(/aborted/i);
    }
    expect(await allFiles()).toEqual([]);
  });
});
