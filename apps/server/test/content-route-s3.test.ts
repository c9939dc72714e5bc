import { createHash } from 'node:crypto';
import { SHARED_BLOB_DIR_WARNING, storageReadiness, type BlobStore } from '@sora-monitor/core/server';
import { createS3BlobStore, startS3Server, type TestS3Server } from '@sora-monitor/core/testing/s3-server';
import { getVideoForUser } from '@sora-monitor/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpApp, type HttpApp, type SignedIn } from './support/http-app';

/*
 * The content route serving a video stored in a real S3-compatible server (s3rver, started here): the whole file,
 * byte-exact, and ranges that cross the upload's part boundaries, as a seeking player asks for them.
 */
const MiB = 1024 * 1024;
const PART = 5 * MiB;

/** The operator's token: /readyz shows its details (storage included) only to its holder. */
const OPERATOR_TOKEN = 'operator-token-for-tests-0123456789';
let s3: TestS3Server;
let blobs: BlobStore;
let h: HttpApp;
let ada: SignedIn;
let videoId: string;
let whole: Buffer;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const content = (headers: Record<string, string> = {}) =>
  h.inject({ method: 'GET', url: `/api/videos/${videoId}/content`, headers: { cookie: ada.cookie, ...headers } });

beforeAll(async () => {
  s3 = await startS3Server();
  blobs = createS3BlobStore(s3.config, { partSizeBytes: PART });
  h = await startHttpApp({ services: { blobs }, app: { metricsToken: OPERATOR_TOKEN } });
  ada = await h.signUp('ada');
  ({ id: videoId } = await h.trpcData<{ id: string }>(ada, 'mutation', 'videos.create', { prompt: 'A harbour at dawn [sim:size-mb=11]' }));
  await h.trpcData(ada, 'mutation', 'sora.generate', { videoId });
  for (let i = 0; ; i++) {
    const status = await h.trpcData<{ status: string }>(ada, 'query', 'sora.status', { videoId });
    if (status.status === 'completed') break;
    if (status.status === 'failed' || i > 1_000) throw new Error(`generation did not complete: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});

afterAll(async () => {
  await h?.close();
  await s3?.stop();
});

describe('content route over the S3 blob store', () => {
  it('serves the whole video byte-exact, as the simulator made it', async () => {
    const response = await content();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('video/mp4');
    expect(response.headers['accept-ranges']).toBe('bytes');
    whole = response.rawPayload;
    expect(whole.length).toBe(11 * MiB);
    expect(Number(response.headers['content-length'])).toBe(whole.length);

    const row = await getVideoForUser(h.database.handle.db, ada.id, videoId);
    expect(row?.blobSha256).toBe(sha256(whole));
    const { jobId } = await h.trpcData<{ jobId: string }>(ada, 'query', 'sora.status', { videoId });
    const upstream = await fetch(`${h.sim.url}/videos/${jobId}/content`, { headers: { authorization: `Bearer ${h.sim.apiKey}` } });
    expect(sha256(Buffer.from(await upstream.arrayBuffer()))).toBe(sha256(whole));
  });

  it.each([
    [`bytes=${PART - 100}-${PART + 99}`, PART - 100, PART + 99],
    ['bytes=0-1', 0, 1], // not 0-0: s3rver answers that one with the whole object (real S3 does not)
    ['bytes=-1000', 11 * MiB - 1000, 11 * MiB - 1],
    [`bytes=${2 * PART}-`, 2 * PART, 11 * MiB - 1],
  ])('answers Range %s with 206 and exactly those bytes', async (range, start, end) => {
    const response = await content({ range });
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/${11 * MiB}`);
    expect(Number(response.headers['content-length'])).toBe(end - start + 1);
    expect(Buffer.compare(response.rawPayload, whole.subarray(start, end + 1))).toBe(0);
  });

  it('answers an unsatisfiable range with 416', async () => {
    const response = await content({ range: `bytes=${12 * MiB}-` });
    expect(response.statusCode).toBe(416);
    expect(response.headers['content-range']).toBe(`bytes */${11 * MiB}`);
  });

  it('reports the shared store in /readyz (details for the operator) without a warning', async () => {
    const response = await h.inject({ method: 'GET', url: '/readyz', headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });
    expect(response.json()).toMatchObject({ storage: { kind: 's3' } });
    expect(response.json().storage.warning).toBeUndefined();
  });

  it('deletes every object of the video when the video is deleted', async () => {
    const listed = async () => {
      const keys: string[] = [];
      for await (const page of blobs.list(`videos/${videoId}/`)) keys.push(...page.map((blob) => blob.key));
      return keys;
    };
    expect((await listed()).length).toBeGreaterThan(0);
    await h.trpcData(ada, 'mutation', 'videos.delete', { videoId });
    expect(await listed()).toEqual([]);
    expect((await content()).statusCode).toBe(404);
  });
});

describe('storage readiness', () => {
  it('warns that DATA_DIR/blobs must be shared only for the filesystem store on PostgreSQL', () => {
    expect(storageReadiness('fs', 'postgres')).toEqual({ kind: 'fs', warning: SHARED_BLOB_DIR_WARNING });
    expect(SHARED_BLOB_DIR_WARNING).toContain('DATA_DIR/blobs must be shared between instances');
    expect(storageReadiness('fs', 'pglite')).toEqual({ kind: 'fs' });
    expect(storageReadiness('s3', 'postgres')).toEqual({ kind: 's3' });
  });
});
