export { createFsBlobStore } from './fs-blob-store';
export type { S3BlobStoreConfig, S3BlobStoreOptions } from './s3-blob-store';
export { openS3BlobStore } from './open-s3-blob-store';
export { BlobNotFoundError, BlobSizeMismatchError, type BlobStore, type ListedBlob, type StoredBlob } from './types';
export { startLeftoverSweeper, sweepBlobLeftovers, type LeftoverSweepDeps, type LeftoverSweepResult } from './leftovers';
