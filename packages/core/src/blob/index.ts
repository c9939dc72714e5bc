export { createFsBlobStore } from './fs-blob-store';
export { BlobSizeMismatchError, type BlobStore, type StoredBlob } from './types';
