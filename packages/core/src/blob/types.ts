import type { Readable } from 'node:stream';

export interface StoredBlob {
  key: string;
  size: number;
  sha256: string;
}

/** Where finished videos live. Writes are all-or-nothing: a reader never sees a partial file. */
export interface BlobStore {
  put(key: string, body: ReadableStream<Uint8Array> | Readable, options?: { signal?: AbortSignal; expectedSize?: number | null }): Promise<StoredBlob>;
  stat(key: string): Promise<{ size: number } | null>;
  /** `end` is inclusive, as in HTTP Range. */
  read(key: string, range?: { start: number; end: number }): Readable;
  delete(key: string): Promise<void>;
  /** Removes every blob under a folder-like prefix such as `videos/<id>/`. */
  deletePrefix(prefix: string): Promise<void>;
}

export class BlobSizeMismatchError extends Error {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`The download ended early: received ${actual} of ${expected} bytes`);
    this.name = 'BlobSizeMismatchError';
  }
}
