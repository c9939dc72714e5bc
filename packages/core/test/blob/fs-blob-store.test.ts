import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { beforeEach, describe, expect, it } from 'vitest';
import { BlobSizeMismatchError, createFsBlobStore, type BlobStore } from '../../src/blob';

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

describe('filesystem blob store', () => {
  it('streams a body to disk and reports its size and sha256', async () => {
    const chunks = [randomBytes(70_000), randomBytes(70_000), randomBytes(5)];
    const all = Buffer.concat(chunks);
    const stored = await store.put('videos/a/video.mp4', webStream(chunks));
    expect(stored).toEqual({
      key: 'videos/a/video.mp4',
      size: all.length,
      sha256: createHash('sha256').update(all).digest('hex'),
    });
    expect(Buffer.compare(await readFile(path.join(root, 'videos/a/video.mp4')), all)).toBe(0);
    expect(await store.stat('videos/a/video.mp4')).toEqual({ size: all.length });
  });

  it('never leaves a partial file when the source fails midway', async () => {
    await expect(store.put('videos/b/video.mp4', webStream([randomBytes(1000), randomBytes(1000)], 1))).rejects.toThrow(
      'connection reset',
    );
    expect(await store.stat('videos/b/video.mp4')).toBeNull();
    expect(await readdir(path.join(root, '.tmp'))).toEqual([]);
  });

  it('rejects a body shorter than the announced size and keeps nothing', async () => {
    await expect(store.put('v/c.mp4', Readable.from([Buffer.from('abc')]), { expectedSize: 10 })).rejects.toBeInstanceOf(
      BlobSizeMismatchError,
    );
    expect(await store.stat('v/c.mp4')).toBeNull();
  });

  it('reads an inclusive byte range', async () => {
    await store.put('v/d.txt', Readable.from([Buffer.from('0123456789')]));
    expect(await text(store.read('v/d.txt', { start: 2, end: 5 }))).toBe('2345');
    expect(await text(store.read('v/d.txt'))).toBe('0123456789');
  });

  it('replaces an existing blob atomically and deletes', async () => {
    await store.put('v/e.txt', Readable.from([Buffer.from('old')]));
    await store.put('v/e.txt', Readable.from([Buffer.from('new!')]));
    expect(await text(store.read('v/e.txt'))).toBe('new!');
    await store.delete('v/e.txt');
    expect(await store.stat('v/e.txt')).toBeNull();
  });

  it.each(['../escape', '/abs', 'a/../../b', '', 'a//b'])('refuses the unsafe key %j', async (key) => {
    await expect(store.put(key, Readable.from([Buffer.from('x')]))).rejects.toThrow('Invalid blob key');
  });
});
