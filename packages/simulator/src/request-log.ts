import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestLogEntry {
  method: string;
  /** The URL path, without the query string. */
  path: string;
  /** The video the request addressed: the id in the path, or for a create the id of the video it created. */
  videoId: string | null;
  /** Milliseconds, on the simulator's clock. */
  startedAt: number;
  endedAt: number;
  /** The HTTP status sent; 0 when the connection was cut before any response (`[sim:lost-create]`). */
  status: number;
  /** The response did not complete: the connection was cut mid-way (`[sim:lost-create]`, `[sim:download-reset]`). */
  aborted: boolean;
}

/**
 * The log keeps the most recent entries only: the simulator also runs inside the product's server for demos, where
 * an unbounded log would be a slow leak.
 */
export const REQUEST_LOG_CAPACITY = 10_000;

interface PendingEntry {
  videoId: string | null;
}

/** Every request the simulator served, for tests and benchmarks (the simulator's own /__sim routes excepted). */
export class RequestLog {
  #entries: RequestLogEntry[] = [];
  readonly #pending = new WeakMap<IncomingMessage, PendingEntry>();

  constructor(private readonly now: () => number) {}

  /** Starts an entry; it is written when the response closes, however it closes. */
  begin(req: IncomingMessage, res: ServerResponse, path: string, videoId: string | null): void {
    const pending: PendingEntry = { videoId };
    this.#pending.set(req, pending);
    const startedAt = this.now();
    res.once('close', () => {
      this.#entries.push({
        method: req.method ?? 'GET',
        path,
        videoId: pending.videoId,
        startedAt,
        endedAt: this.now(),
        status: res.headersSent ? res.statusCode : 0,
        aborted: !res.writableFinished,
      });
      // Trim in batches so a full log costs one splice per thousand requests, not one per request.
      if (this.#entries.length > REQUEST_LOG_CAPACITY)
        this.#entries.splice(0, this.#entries.length - REQUEST_LOG_CAPACITY + 1000);
    });
  }

  /** Lets a create name the video it made, which its path cannot. */
  setVideoId(req: IncomingMessage, videoId: string): void {
    const pending = this.#pending.get(req);
    if (pending) pending.videoId = videoId;
  }

  entries(): RequestLogEntry[] {
    return this.#entries.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.#entries = [];
  }
}
