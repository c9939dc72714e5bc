import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { insertVideo, user, videos } from '@sora-monitor/db';
import { eq } from 'drizzle-orm';
import { createTestDb, type TestDb } from '@sora-monitor/db/testing';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFsBlobStore, sweepBlobLeftovers, type BlobStore, type ListedBlob } from '../../src/blob';
import { createS3BlobStore, createS3Client } from '../../src/blob/s3-blob-store';
import { startS3Server, type TestS3Server } from '../../src/testing/s3-server';

const HOUR = 3_600_000;
let s3: TestS3Server;
let database: TestDb;
beforeAll(async () => {
  s3 = await startS3Server();
  database = await createTestDb();
});
afterAll(async () => {
  await database?.cleanup();
  await s3?.stop();
});

interface Opened {
  store: BlobStore;
  /** Unfinished writes on the store's side: temporary files, open multipart uploads. */
  pending(): Promise<number>;
}

const stores: Array<[string, () => Promise<Opened>]> = [
  [
    'filesystem',
    async () => {
      const root = await mkdtemp(path.join(tmpdir(), 'leftovers-'));
      return { store: createFsBlobStore(root), pending: async () => (await readdir(path.join(root, '.tmp')).catch(() => [])).length };
    },
  ],
  [
    's3',
    async () => {
      const config = await s3.createBucket();
      const client = createS3Client(config);
      return {
        store: createS3BlobStore(config, { partSizeBytes: 5 * 1024 * 1024 }, client),
        pending: async () => (await client.send(new ListMultipartUploadsCommand({ Bucket: config.bucket }))).Uploads?.length ?? 0,
      };
    },
  ],
];

async function keys(store: BlobStore): Promise<string[]> {
  const all: ListedBlob[] = [];
  for await (const page of store.list('videos/')) all.push(...page);
  return all.map((blob) => blob.key).sort();
}

const put = (store: BlobStore, key: string) => store.put(key, Readable.from([Buffer.from(key)]));

describe.each(stores)('leftovers sweep on the %s store', (_name, open) => {
  let store: BlobStore;
  let pending: () => Promise<number>;
  let kept: string[];
  let orphans: string[];
  beforeEach(async () => {
    ({ store, pending } = await open());
    const db = database.handle.db;
    const userId = randomUUID();
    await db.insert(user).values({ id: userId, name: 'Leftovers', email: `${userId}@example.test` });
    const base = { userId, title: 't', prompt: 'p', model: 'sora-2', size: '1280x720', seconds: 4 };
    const done = await insertVideo(db, base);
    const reset = await insertVideo(db, base);
    kept = [`videos/${done.id}/job_1.mp4`, `videos/${done.id}/job_1.thumbnail.webp`, `videos/${done.id}/reference.png`];
    await db.update(videos).set({ blobKey: kept[0], thumbnailBlobKey: kept[1], referenceImageKey: kept[2] }).where(eq(videos.id, done.id));
    // A video whose row no longer points at its file (reset, or a crash between storing and committing), a file
    // of an earlier job of a video that has a newer one, and a folder of a deleted video.
    orphans = [`videos/${reset.id}/job_2.mp4`, `videos/${done.id}/job_0.mp4`, `videos/${randomUUID()}/job_3.mp4`].sort();
    for (const key of [...kept, ...orphans]) await put(store, key);
  });

  const deps = (minAgeMs: number) => ({ db: database.handle.db, blobs: store, logger: pino({ level: 'silent' }), minAgeMs });

  it('leaves everything younger than the threshold alone', async () => {
    expect(await sweepBlobLeftovers(deps(HOUR))).toEqual({ incomplete: 0, orphans: 0 });
    expect(await keys(store)).toEqual([...kept, ...orphans].sort());
  });

  it('removes old blobs no row points to and keeps every referenced one', async () => {
    const later = new Date(Date.now() + 2 * HOUR);
    expect(await sweepBlobLeftovers(deps(HOUR), later)).toEqual({ incomplete: 0, orphans: 3 });
    expect(await keys(store)).toEqual([...kept].sort());
  });

  it('removes an old unfinished write, and only once it is old', async () => {
    const stalled = new Readable({ read() {} });
    stalled.push(Buffer.alloc(6 * 1024 * 1024)); // past one S3 part, so a multipart upload is open
    const stuck = store.put('videos/stuck/job.mp4', stalled).catch((error: unknown) => error);
    await waitFor(async () => (await pending()) === 1);

    expect((await sweepBlobLeftovers(deps(HOUR))).incomplete).toBe(0);
    expect((await sweepBlobLeftovers(deps(HOUR), new Date(Date.now() + 2 * HOUR))).incomplete).toBe(1);
    expect(await pending()).toBe(0);
    stalled.destroy(new Error('killed'));
    await stuck;
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not reached');
}
