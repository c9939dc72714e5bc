import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createS3Client, type S3BlobStoreConfig } from '../blob/s3-blob-store';

/*
 * A real S3-compatible server for tests: s3rver (the @20minutes fork, which runs on Node 20 and 24) listening on a
 * free port of 127.0.0.1 and keeping objects in a temporary directory. Nothing of the SDK is mocked: requests go
 * over HTTP, signed, as they would to AWS, R2 or MinIO.
 *
 * s3rver lacks two calls the blob store relies on, ListMultipartUploads and AbortMultipartUpload. They are added
 * below over s3rver's own upload directory (one folder per upload id holding `key`, `metadata` and the parts), so
 * tests can see that a failed upload leaves no parts behind and the leftovers sweep can abort old ones.
 */

interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  status: number;
  body: unknown;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
interface S3rverStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
}
interface S3rverInstance {
  middleware: Middleware[];
  store: S3rverStore;
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
type S3ErrorClass = new (code: string, message: string, detail?: Record<string, string>) => Error;

const require = createRequire(import.meta.url);
const S3rver = require('@20minutes/s3rver') as S3rverClass;
const S3Error = require('@20minutes/s3rver/lib/models/error') as S3ErrorClass;

export { createS3BlobStore, createS3Client } from '../blob/s3-blob-store';

export const TEST_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
const REGION = 'us-east-1';

export interface TestS3Server {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  /** The bucket created at start-up, with everything needed to reach it. */
  config: S3BlobStoreConfig;
  /** The same as the server's environment variables (BLOB_STORE=s3, S3_BUCKET, S3_ENDPOINT…), for spawned servers. */
  env: Record<string, string>;
  /** Creates another empty bucket (one per test keeps tests apart) and returns its config. */
  createBucket(): Promise<S3BlobStoreConfig>;
  stop(): Promise<void>;
}

function uploadsDir(store: S3rverStore, bucket: string): string {
  return store.getResourcePath(bucket, undefined, 'uploads');
}

/** ListMultipartUploads and AbortMultipartUpload over s3rver's upload folders (see the note at the top). */
function multipartUploadCalls(store: S3rverStore): Middleware {
  return async (ctx, next) => {
    const [bucket, ...keyParts] = ctx.path.split('/').filter(Boolean);
    if (bucket && keyParts.length === 0 && ctx.method === 'GET' && 'uploads' in ctx.query) {
      const dir = uploadsDir(store, bucket);
      const ids = await readdir(dir).catch(() => [] as string[]);
      const uploads = [];
      for (const id of ids) {
        const keyFile = path.join(dir, id, 'key');
        const info = await stat(keyFile).catch(() => null);
        if (!info) continue;
        uploads.push({ Key: await readFile(keyFile, 'utf8'), UploadId: id, Initiated: info.mtime.toISOString() });
      }
      ctx.body = { ListMultipartUploadsResult: { Bucket: bucket, MaxUploads: 1000, IsTruncated: false, Upload: uploads } };
      return;
    }
    const uploadId = ctx.query.uploadId;
    if (bucket && keyParts.length > 0 && ctx.method === 'DELETE' && uploadId) {
      const dir = path.join(uploadsDir(store, bucket), uploadId);
      if (!/^[0-9a-f]+$/.test(uploadId) || !(await stat(dir).catch(() => null))) {
        throw new S3Error('NoSuchUpload', 'The specified upload does not exist.');
      }
      await rm(dir, { recursive: true, force: true });
      ctx.status = 204;
      ctx.body = '';
      return;
    }
    await next();
  };
}

/** Starts s3rver on a free port of 127.0.0.1 with one empty bucket; stop() ends it and removes its files. */
export async function startS3Server(): Promise<TestS3Server> {
  const directory = await mkdtemp(path.join(tmpdir(), 'sora-s3-'));
  const bucket = `videos-${randomBytes(4).toString('hex')}`;
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    // s3rver signs bucket-level paths without the trailing slash the SDK sends (`PUT /bucket/`), so it would refuse
    // every CreateBucket, DeleteObjects and ListMultipartUploads; signatures are the SDK's business, not ours.
    allowMismatchedSignatures: true,
    configureBuckets: [{ name: bucket }],
  });
  // Before s3rver's router, which is the last middleware and answers NotImplemented to both calls.
  server.middleware.splice(server.middleware.length - 1, 0, multipartUploadCalls(server.store));
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const configFor = (name: string): S3BlobStoreConfig => ({
    bucket: name,
    region: REGION,
    endpoint,
    forcePathStyle: true,
    ...TEST_S3_CREDENTIALS,
  });
  const admin = createS3Client(configFor(bucket));
  return {
    endpoint,
    config: configFor(bucket),
    env: {
      BLOB_STORE: 's3',
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: REGION,
      S3_ACCESS_KEY_ID: TEST_S3_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: TEST_S3_CREDENTIALS.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    },
    async createBucket() {
      const name = `videos-${randomBytes(4).toString('hex')}`;
      await admin.send(new CreateBucketCommand({ Bucket: name }));
      return configFor(name);
    },
    async stop() {
      admin.destroy();
      // Open keep-alive sockets would hold close() until they time out.
      server.httpServer?.closeAllConnections();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
