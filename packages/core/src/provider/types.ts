/** A video as the upstream reports it, with times as Dates and nothing SDK-specific. */
export interface UpstreamVideo {
  id: string;
  /** Raw upstream status; mapping it is the domain's job (unknown values must survive to be logged). */
  status: string;
  progress: number | null;
  error: { code: string | null; message: string | null } | null;
  createdAt: Date;
  completedAt: Date | null;
  expiresAt: Date | null;
  model: string;
  size: string;
  seconds: string;
  prompt: string | null;
}

/** Why an upstream call did not give an answer. `unavailable` is transient and must never fail a generation. */
export type UpstreamFailure =
  | { kind: 'not_found'; message: string }
  | {
      kind: 'unavailable';
      reason: 'server_error' | 'rate_limited' | 'network' | 'timeout';
      retryAfterMs: number | null;
      status: number | null;
      message: string;
    }
  | { kind: 'rejected'; status: number; code: string | null; message: string; param: string | null };

export interface CreateVideoParams {
  prompt: string;
  model: string;
  size: string;
  seconds: number;
}

export type CreateResult =
  | { kind: 'created'; video: UpstreamVideo }
  /** The request may or may not have created a job (connection lost, timeout, 5xx): reconcile before retrying. */
  | { kind: 'unknown'; failure: UpstreamFailure }
  /** Certainly not created (4xx, 429): safe to report or retry later. */
  | { kind: 'not_created'; failure: UpstreamFailure };

export type RetrieveResult = { kind: 'video'; video: UpstreamVideo } | UpstreamFailure;

export type ContentVariant = 'video' | 'thumbnail' | 'spritesheet';

export type DownloadResult =
  | { kind: 'stream'; body: ReadableStream<Uint8Array>; contentType: string; contentLength: number | null }
  | UpstreamFailure;

/** Everything the product needs from an OpenAI-Videos-compatible endpoint. */
export interface VideoProvider {
  create(params: CreateVideoParams, options?: { signal?: AbortSignal }): Promise<CreateResult>;
  /**
   * Looks for a job this process asked for but never heard back about: same parameters, created at or after
   * `since`, and not one of `knownJobIds` (jobs already tied to other attempts).
   */
  findCreated(params: CreateVideoParams, since: Date, knownJobIds: ReadonlySet<string>): Promise<UpstreamVideo | null | UpstreamFailure>;
  retrieve(jobId: string, options?: { signal?: AbortSignal }): Promise<RetrieveResult>;
  download(jobId: string, variant: ContentVariant, options?: { signal?: AbortSignal }): Promise<DownloadResult>;
}
