import type { Readable } from 'node:stream';

export interface StoredBlob {
  key: string;
  size: number;
  sha256: string;
}

/** One stored blob as a listing sees it. */
export interface ListedBlob {
  key: string;
  size: number;
  /** When it was last written (the end of its upload). */
  modifiedAt: Date;
}

/** Where finished videos live. Writes are all-or-nothing: a reader never sees a partial file. */
export interface BlobStore {
  /** `fs` keeps blobs in one directory of this machine; `s3` in a bucket every instance shares. */
  readonly kind: 'fs' | 's3';
  put(key: string, body: ReadableStream<Uint8Array> | Readable, options?: { signal?: AbortSignal; expectedSize?: number | null }): Promise<StoredBlob>;
  stat(key: string): Promise<{ size: number } | null>;
  /** `end` is inclusive, as in HTTP Range. Rejects (before any byte is sent) when the blob cannot be opened. */
  read(key: string, range?: { start: number; end: number }): Promise<Readable>;
  delete(key: string): Promise<void>;
  /** Removes every blob under a folder-like prefix such as `videos/<id>/`. */
  deletePrefix(prefix: string): Promise<void>;
  /** Every stored blob whose key starts with `prefix`, in pages, for the leftovers sweep. */
  list(prefix: string): AsyncIterable<ListedBlob[]>;
  /**
   * Removes writes that never finished (a killed process's temporary files, abandoned multipart uploads) started or
   * last written before `before`; returns how many. Anything newer may still be in use and is left alone.
   */
  removeIncomplete(before: Date): Promise<number>;
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

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No blob is stored under ${key}`);
    this.name = 'BlobNotFoundError';
  }
}
