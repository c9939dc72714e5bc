/**
 * The most calls one HTTP batch to /trpc may carry. The server refuses a larger batch with 400 before any of its
 * calls runs (one request must not fan out into unbounded work); the web app and the CLI split their batches at
 * this size, so they never hit the limit. A page fires a few queries per visible video, well within this.
 */
export const MAX_BATCH_SIZE = 20;
