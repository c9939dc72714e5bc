import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer, text } from 'node:stream/consumers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BlobNotFoundError,
  BlobSizeMismatchError,
  createFsBlobStore,
  type BlobStore,
  type ListedBlob,
} from '../../src/blob';
import { createS3BlobStore, createS3Client } from '../../src/blob/s3-blob-store';
import { startS3Server, type TestS3Server } from '../../src/testing/s3-server';

/*
 * One behavioural suite, run against the filesystem store and against the S3 store talking to a real S3-compatible
 * server (s3rver on 127.0.0.1). Small parts (the S3 minimum, 5 MiB) so a 12 MiB body is a three-part upload.
 */
const MiB = 1024 * 1024;
const PART = 5 * MiB;

interface Harness {
  store: BlobStore;
  /** How many writes are unfinished on the store's side (temporary files, open multipart uploads). */
  pendingWrites(): Promise<number>;
  /** Makes every unfinished write look `ageMs` old. */
  ageIncomplete?(ageMs: number): Promise<void>;
}

let s3: TestS3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(() => s3?.stop());

const backends: Array<[string, () => Promise<Harness>]> = [
  [
    'filesystem',
    async () => {
      const root = await mkdtemp(path.join(tmpdir(), 'blobs-'));
      const tmp = path.join(root, '.tmp');
      return {
        store: createFsBlobStore(root),
        pendingWrites: async () => (await readdir(tmp).catch(() => [])).length,
        async ageIncomplete(ageMs) {
          const then = new Date(Date.now() - ageMs);
          for (const name of await readdir(tmp).catch(() => [])) await utimes(path.join(tmp, name), then, then);
        },
      };
    },
  ],
  [
    's3',
    async () => {
      const config = await s3.createBucket();
      const client = createS3Client(config);
      return {
        store: createS3BlobStore(config, { partSizeBytes: PART }, client),
        pendingWrites: async () =>
          (await client.send(new ListMultipartUploadsCommand({ Bucket: config.bucket }))).Uploads?.length ?? 0,
      };
    },
  ],
];

/** A body that delivers `chunks`, then fails with "connection reset" instead of its chunk number `failAt`. */
function webStream(chunks: Uint8Array[], failAt?: number): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      if (failAt !== undefined && index === failAt) return controller.error(new Error('connection reset'));
      const chunk = chunks[index++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function listAll(store: BlobStore, prefix: string): Promise<ListedBlob[]> {
  const all: ListedBlob[] = [];
  for await (const page of store.list(prefix)) all.push(...page);
  return all.sort((a, b) => a.key.localeCompare(b.key));
}

describe.each(backends)('%s blob store', (_name, setUp) => {
  let h: Harness;
  beforeEach(async () => {
    h = await setUp();
  });

  it('streams a small body in and reports its size and sha256', async () => {
    const chunks = [randomBytes(70_000), randomBytes(70_000), randomBytes(5)];
    const all = Buffer.concat(chunks);
    const stored = await h.store.put('videos/a/video.mp4', webStream(chunks), { expectedSize: all.length });
    expect(stored).toEqual({ key: 'videos/a/video.mp4', size: all.length, sha256: sha256(all) });
    expect(await h.store.stat('videos/a/video.mp4')).toEqual({ size: all.length });
    expect(Buffer.compare(await buffer(await h.store.read('videos/a/video.mp4')), all)).toBe(0);
  });

  it('stores a body of several parts byte-exact, and serves inclusive ranges across part boundaries', async () => {
    const all = randomBytes(12 * MiB + 123);
    const chunks = Array.from({ length: Math.ceil(all.length / 65_536) }, (_, i) => all.subarray(i * 65_536, (i + 1) * 65_536));
    const stored = await h.store.put('videos/big/job.mp4', Readable.from(chunks), { expectedSize: all.length });
    expect(stored).toEqual({ key: 'videos/big/job.mp4', size: all.length, sha256: sha256(all) });
    expect(sha256(await buffer(await h.store.read('videos/big/job.mp4')))).toBe(sha256(all));
    const start = PART - 10;
    const end = PART + 9;
    expect(Buffer.compare(await buffer(await h.store.read('videos/big/job.mp4', { start, end })), all.subarray(start, end + 1))).toBe(0);
    expect(await h.pendingWrites()).toBe(0);
  });

  it('reads an inclusive byte range of a small blob', async () => {
    await h.store.put('v/d.txt', Readable.from([Buffer.from('0123456789')]));
    expect(await text(await h.store.read('v/d.txt', { start: 2, end: 5 }))).toBe('2345');
    expect(await text(await h.store.read('v/d.txt', { start: 9, end: 9 }))).toBe('9');
    expect(await text(await h.store.read('v/d.txt'))).toBe('0123456789');
  });

  it('keeps nothing, not even parts, when the body fails midway through a multipart upload', async () => {
    const chunk = randomBytes(MiB);
    await expect(h.store.put('videos/b/video.mp4', webStream(Array(12).fill(chunk), 11))).rejects.toThrow('connection reset');
    expect(await h.store.stat('videos/b/video.mp4')).toBeNull();
    expect(await h.pendingWrites()).toBe(0);
  });

  it('keeps nothing when the body fails before its first part is complete', async () => {
    await expect(h.store.put('videos/b/small.mp4', webStream([randomBytes(1000), randomBytes(1000)], 1))).rejects.toThrow(
      'connection reset',
    );
    expect(await h.store.stat('videos/b/small.mp4')).toBeNull();
    expect(await h.pendingWrites()).toBe(0);
  });

  it('keeps nothing when the caller aborts midway', async () => {
    const controller = new AbortController();
    let sent = 0;
    const body = new Readable({
      read() {
        sent += 1;
        if (sent === 8) controller.abort(new Error('shutting down'));
        this.push(randomBytes(MiB));
      },
    });
    await expect(h.store.put('videos/c/video.mp4', body, { signal: controller.signal })).rejects.toThrow();
    expect(await h.store.stat('videos/c/video.mp4')).toBeNull();
    expect(await h.pendingWrites()).toBe(0);
  });

  it.each([
    ['short', 10, 3],
    ['long', 2, 3],
  ])('rejects a body %s of the announced size and keeps nothing', async (_kind, expectedSize, actual) => {
    await expect(h.store.put('v/c.mp4', Readable.from([randomBytes(actual)]), { expectedSize })).rejects.toBeInstanceOf(
      BlobSizeMismatchError,
    );
    expect(await h.store.stat('v/c.mp4')).toBeNull();
    expect(await h.pendingWrites()).toBe(0);
  });

  it('rejects a multipart body that ends short of the announced size before any reader can see it', async () => {
    const body = Readable.from(Array(11).fill(randomBytes(MiB)));
    await expect(h.store.put('v/short.mp4', body, { expectedSize: 12 * MiB })).rejects.toBeInstanceOf(BlobSizeMismatchError);
    expect(await h.store.stat('v/short.mp4')).toBeNull();
    expect(await h.pendingWrites()).toBe(0);
  });

  it('replaces an existing blob and deletes one', async () => {
    await h.store.put('v/e.txt', Readable.from([Buffer.from('old')]));
    await h.store.put('v/e.txt', Readable.from([Buffer.from('new!')]));
    expect(await text(await h.store.read('v/e.txt'))).toBe('new!');
    await h.store.delete('v/e.txt');
    expect(await h.store.stat('v/e.txt')).toBeNull();
    await h.store.delete('v/e.txt'); // deleting what is gone is not an error
  });

  it('answers a read of a missing blob with BlobNotFoundError', async () => {
    await expect(h.store.read('v/missing.mp4')).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await h.store.stat('v/missing.mp4')).toBeNull();
  });

  it('lists blobs under a prefix and deletes a whole folder, leaving its neighbours', async () => {
    await h.store.put('videos/one/a.mp4', Readable.from([Buffer.from('a')]));
    await h.store.put('videos/one/a.thumbnail.webp', Readable.from([Buffer.from('bb')]));
    await h.store.put('videos/onetwo/c.mp4', Readable.from([Buffer.from('ccc')]));
    const listed = await listAll(h.store, 'videos/');
    expect(listed.map(({ key, size }) => ({ key, size }))).toEqual([
      { key: 'videos/one/a.mp4', size: 1 },
      { key: 'videos/one/a.thumbnail.webp', size: 2 },
      { key: 'videos/onetwo/c.mp4', size: 3 },
    ]);
    for (const blob of listed) expect(Math.abs(blob.modifiedAt.getTime() - Date.now())).toBeLessThan(60_000);

    await h.store.deletePrefix('videos/one/');
    expect((await listAll(h.store, 'videos/')).map((blob) => blob.key)).toEqual(['videos/onetwo/c.mp4']);
    await h.store.deletePrefix('videos/never-written/');
  });

  it('removes unfinished writes older than the cut-off only', async () => {
    // A write stuck halfway: its body never ends, as when the process is killed mid-download.
    const stalled = new Readable({ read() {} });
    for (let i = 0; i < 7; i++) stalled.push(randomBytes(MiB));
    const stuckPut = h.store.put('videos/stuck/job.mp4', stalled).catch((error: unknown) => error);
    await waitFor(async () => (await h.pendingWrites()) === 1);

    expect(await h.store.removeIncomplete(new Date(Date.now() - 3_600_000))).toBe(0);
    expect(await h.pendingWrites()).toBe(1);

    // Aged until the sweep takes it: bytes still being flushed into the file count as fresh writing (they renew its
    // time), which a busy machine can stretch past the first aging.
    let removed = 0;
    await waitFor(async () => {
      await h.ageIncomplete?.(2 * 3_600_000);
      const cutOff = h.ageIncomplete ? new Date(Date.now() - 3_600_000) : new Date(Date.now() + 1_000);
      removed += await h.store.removeIncomplete(cutOff);
      return removed > 0;
    });
    expect(removed).toBe(1);
    expect(await h.pendingWrites()).toBe(0);
    stalled.destroy(new Error('killed'));
    await stuckPut;
    expect(await h.store.stat('videos/stuck/job.mp4')).toBeNull();
  });

  it.each(['../escape', '/abs', 'a/../../b', '', 'a//b'])('refuses the unsafe key %j', async (key) => {
    await expect(h.store.put(key, Readable.from([Buffer.from('x')]))).rejects.toThrow('Invalid blob key');
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not reached');
}

