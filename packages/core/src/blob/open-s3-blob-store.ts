import type { BlobStore } from './types';
import type { S3BlobStoreConfig, S3BlobStoreOptions } from './s3-blob-store';

/**
 * The S3 store, with the AWS SDK loaded only when it is used: a server on the filesystem store does not pay for
 * loading it at every start. Tests and tools import `./s3-blob-store` directly.
 */
export async function openS3BlobStore(config: S3BlobStoreConfig, options?: S3BlobStoreOptions): Promise<BlobStore> {
  const { createS3BlobStore } = await import('./s3-blob-store');
  return createS3BlobStore(config, options);
}
