import type { AuditEventDraft } from './events';
import type { GenerationPatch } from './state';
import type { ActiveStatus, TerminalStatus } from './status';

/** A successful upstream retrieve of the job (or the same data from a webhook). */
export interface VideoObservation {
  kind: 'video';
  /** Raw upstream status; its meaning comes from `normaliseUpstreamStatus`. */
  status: string;
  progress?: number | null;
  error?: { code?: string | null; message?: string | null } | null;
  completedAt?: Date | null;
  /** When upstream deletes the finished video. */
  expiresAt?: Date | null;
}

/** Upstream answered 404 for the job. */
export interface NotFoundObservation {
  kind: 'not_found';
}

/** Upstream could not answer right now (5xx, 429, network error, timeout). */
export interface UnavailableObservation {
  kind: 'unavailable';
  reason: 'server_error' | 'rate_limited' | 'network' | 'timeout';
  /** From a `retry-after` header, when given. */
  retryAfterMs?: number | null;
}

/** The finished video was streamed into the blob store completely (size and hash verified). */
export interface DownloadedObservation {
  kind: 'downloaded';
  blob: { key: string; size: number; sha256: string };
  thumbnailKey?: string | null;
  /** When to try a missing thumbnail again (see `thumbnailRetryAt`); null or absent: no later try. */
  thumbnailRetryAt?: Date | null;
  /** Null when no honest price is known (see `generationCostUsd`). */
  costUsd: number | null;
  completedAt: Date;
  /** Where the app serves the video, when the caller stores one; absent leaves the column as it is. */
  videoUrl?: string | null;
}

/** Downloading the finished video failed; nothing partial was kept. */
export interface DownloadFailedObservation {
  kind: 'download_failed';
  reason: string;
  /** True for transient failures (network, 5xx) worth another try while the video is still upstream. */
  retryable: boolean;
}

export type Observation =
  | VideoObservation
  | NotFoundObservation
  | UnavailableObservation
  | DownloadedObservation
  | DownloadFailedObservation;

/** What the caller should do next, besides applying the patch and writing the events. */
export type RefreshOutcome =
  /** Completed or failed already: nothing changes, answer from the database. */
  | { kind: 'terminal'; status: TerminalStatus }
  /** No generation started (or it was reset meanwhile): the observation belongs to no current job. */
  | { kind: 'not_started' }
  /** Still queued or generating: keep polling. */
  | { kind: 'tracking'; status: ActiveStatus; progress: number }
  /** Finished upstream: download it (before `expiresAt`), then feed `downloaded` or `download_failed`. */
  | { kind: 'needs_download'; completedAt: Date | null; expiresAt: Date | null }
  /** The video is stored: the generation is complete. */
  | { kind: 'completed'; thumbnailRetryAt?: Date | null }
  | { kind: 'failed'; errorCode: string | null; errorMessage: string }
  /** Upstream unreachable: status unchanged, show `message`, back off (see `backoffDelayMs`). */
  | {
      kind: 'temporarily_unavailable';
      reason: UnavailableObservation['reason'];
      message: string;
      retryAfterMs: number | null;
      pollFailures: number;
    }
  /**
   * Upstream status we do not know: status unchanged; `message` tells the user what the service reports. The caller
   * records it (see `unknownStatusNotice`) so it is logged once per job, not once per poll.
   */
  | { kind: 'unknown_status'; rawStatus: string; message: string }
  /** A transient download failure: status unchanged, try the download again after a back-off. */
  | { kind: 'download_retry'; reason: string; message: string; pollFailures: number };

export interface TransitionResult {
  /** Only the columns that change; empty when nothing does (no write needed). */
  patch: GenerationPatch;
  /** Audit drafts to write in the same transaction as the patch. */
  events: AuditEventDraft[];
  outcome: RefreshOutcome;
}
