import type { LimitFunction } from 'p-limit';
import type { UpstreamPriority } from './upstream-budget';

/** A video as the upstream reports it, with times as Dates and nothing SDK-specific. */
export interface UpstreamVideo {
  id: string;
  /** Raw upstream status; mapping it is the domain's job (unknown values must survive to be logged). */
  status: string;
  progress: number | null;
  error: { code: string | null; message: string | null } | null;
  /** Null when the service sent none (or an unreadable one): such a job cannot be matched by time. */
  createdAt: Date | null;
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
      /** The service's error code, when it sent one (a 429 may be `insufficient_quota`, not a rate limit). */
      code?: string | null;
    }
  | { kind: 'rejected'; status: number; code: string | null; message: string; param: string | null };

export interface CreateVideoParams {
  prompt: string;
  model: string;
  size: string;
  /** The finished clip's length (an extension's: the source's plus the new footage, as upstream reports it). */
  seconds: number;
  /** Image-to-video: sent as `input_reference` (a file upload). */
  inputReference?: { bytes: Uint8Array; mimeType: string; filename: string } | null;
  /** Made from an earlier upstream job: `videos.remix`, `videos.edit` or `videos.extend` instead of `videos.create`. */
  derivation?: { operation: 'remix' | 'edit' | 'extend'; sourceJobId: string; extensionSeconds: number | null } | null;
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

/** Per call: what can cut it short, and who it is for (the upstream budget serves interactive callers first). */
export interface CallOptions {
  signal?: AbortSignal;
  priority?: UpstreamPriority;
  /**
   * The request itself runs in one of these (a download until its body has been read), taken once the upstream
   * budget granted it (`withUpstreamBudget`): the wait for the budget, and whatever the caller does with the answer
   * after it, hold no slot.
   */
  slots?: LimitFunction;
}

/** Everything the product needs from an OpenAI-Videos-compatible endpoint. */
export interface VideoProvider {
  create(params: CreateVideoParams, options?: { signal?: AbortSignal }): Promise<CreateResult>;
  /**
   * Looks for a job this process asked for but never heard back about: same parameters, created at or after
   * `since`, and not one of `knownJobIds` (jobs already tied to other attempts).
   */
  findCreated(params: CreateVideoParams, since: Date, knownJobIds: ReadonlySet<string>): Promise<UpstreamVideo | null | UpstreamFailure>;
  retrieve(jobId: string, options?: CallOptions): Promise<RetrieveResult>;
  download(jobId: string, variant: ContentVariant, options?: CallOptions): Promise<DownloadResult>;
}
