import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  paginateListObjectsV2,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { addAbortSignal, pipeline, type Readable } from 'node:stream';
import { assertSafeKey, safeFolder } from './keys';
import { createMeasuringStream, toNodeReadable } from './measure';
import { BlobNotFoundError, type BlobStore, type ListedBlob, type StoredBlob } from './types';

/** Where the bucket is and how to sign in; AWS's usual environment/profile chain applies when keys are not given. */
export interface S3BlobStoreConfig {
  bucket: string;
  region: string;
  /** For anything but AWS itself (R2, MinIO, Ceph…): the service's URL. */
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `https://host/bucket/key` instead of `https://bucket.host/key` (MinIO and most self-hosted servers need it). */
  forcePathStyle?: boolean;
}

export interface S3BlobStoreOptions {
  /**
   * Bytes per multipart part: the store holds at most (queueSize + 1) parts in memory, whatever the video's size.
   * S3 allows 10 000 parts of at least 5 MiB, so the default (the minimum, for the least memory) reaches 48 GiB.
   */
  partSizeBytes?: number;
  /** Parts uploaded at once. */
  queueSize?: number;
}

const DEFAULT_PART_SIZE = 5 * 1024 * 1024;
const DELETE_BATCH = 1_000; // DeleteObjects takes at most 1 000 keys

export function createS3Client(config: S3BlobStoreConfig): S3Client {
  return new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle ?? false,
    ...(config.accessKeyId && config.secretAccessKey
      ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
      : {}),
    // The SDK's default CRC32 checksums on every upload (trailing, in aws-chunked bodies) are refused by several
    // S3-compatible servers; content integrity is already checked by our own sha256 and the announced size.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.$metadata.httpStatusCode === 404 || error.name === 'NotFound' || error.name === 'NoSuchKey' || error.name === 'NoSuchUpload')
  );
}

/**
 * Blobs as objects in one S3-compatible bucket, shared by every instance. A write is a streamed multipart upload
 * (a single PUT below one part): the object becomes visible only when the upload completes, and a failed or
 * aborted one is aborted on the server so no parts linger. A body shorter than announced fails before completion.
 */
export function createS3BlobStore(config: S3BlobStoreConfig, options: S3BlobStoreOptions = {}, client = createS3Client(config)): BlobStore {
  const Bucket = config.bucket;
  const partSize = options.partSizeBytes ?? DEFAULT_PART_SIZE;
  const queueSize = options.queueSize ?? 2;

  return {
    kind: 's3',

    async put(key, body, { signal, expectedSize } = {}): Promise<StoredBlob> {
      assertSafeKey(key);
      const measure = createMeasuringStream(expectedSize);
      const source = toNodeReadable(body);
      // A source error (or the caller's abort) destroys the measuring stream; the upload's read fails, and lib-storage
      // then aborts the multipart upload before done() rejects.
      pipeline(source, measure.stream, () => undefined);
      if (signal) addAbortSignal(signal, measure.stream);
      const upload = new Upload({
        client,
        params: { Bucket, Key: key, Body: measure.stream },
        partSize,
        queueSize,
        leavePartsOnError: false,
      });
      try {
        await upload.done();
      } catch (error) {
        source.destroy();
        throw error;
      }
      return { key, ...measure.result() };
    },

    async stat(key) {
      assertSafeKey(key);
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { size: head.ContentLength ?? 0 };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async read(key, range) {
      assertSafeKey(key);
      try {
        const object = await client.send(
          new GetObjectCommand({ Bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
        );
        const body = object.Body as Readable;
        // The route has already promised a Content-Length: a server that answers with other bytes than asked must
        // fail here, not send a body that breaks the response's framing.
        const expected = range ? range.end - range.start + 1 : undefined;
        if (expected !== undefined && object.ContentLength !== expected) {
          body.destroy();
          throw new Error(`The S3 server answered ${String(object.ContentLength)} bytes for the ${expected}-byte range of ${key}`);
        }
        return body;
      } catch (error) {
        if (isNotFound(error)) throw new BlobNotFoundError(key);
        throw error;
      }
    },

    async delete(key) {
      assertSafeKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },

    async deletePrefix(prefix) {
      const folder = `${safeFolder(prefix)}/`;
      for await (const page of this.list(folder)) {
        for (let i = 0; i < page.length; i += DELETE_BATCH) {
          const Objects = page.slice(i, i + DELETE_BATCH).map((blob) => ({ Key: blob.key }));
          const result = await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects, Quiet: true } }));
          const failed = result.Errors?.[0];
          if (failed) throw new Error(`Could not delete ${failed.Key ?? 'a blob'} from bucket ${Bucket}: ${failed.Code ?? ''} ${failed.Message ?? ''}`.trim());
        }
      }
    },

    async *list(prefix) {
      for await (const page of paginateListObjectsV2({ client }, { Bucket, Prefix: prefix })) {
        const blobs: ListedBlob[] = (page.Contents ?? []).flatMap((object) =>
          object.Key ? [{ key: object.Key, size: object.Size ?? 0, modifiedAt: object.LastModified ?? new Date(0) }] : [],
        );
        if (blobs.length > 0) yield blobs;
      }
    },

    async removeIncomplete(before) {
      let removed = 0;
      let KeyMarker: string | undefined;
      let UploadIdMarker: string | undefined;
      for (;;) {
        const page = await client.send(new ListMultipartUploadsCommand({ Bucket, KeyMarker, UploadIdMarker }));
        for (const upload of page.Uploads ?? []) {
          if (!upload.Key || !upload.UploadId || !upload.Initiated || upload.Initiated >= before) continue;
          try {
            await client.send(new AbortMultipartUploadCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId }));
            removed += 1;
          } catch (error) {
            if (!isNotFound(error)) throw error; // finished or aborted meanwhile
          }
        }
        if (!page.IsTruncated) return removed;
        KeyMarker = page.NextKeyMarker;
        UploadIdMarker = page.NextUploadIdMarker;
      }
    },
  };
}
