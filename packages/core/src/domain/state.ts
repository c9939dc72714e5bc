import type { GenerationStatus } from './status';

/**
 * The stored state of a video's current generation, as the domain reads it.
 * A database row has more columns; every function here only picks what it needs.
 */
export interface GenerationState {
  status: GenerationStatus;
  /** Upstream video job id; null before a job was created and after a reset. */
  jobId: string | null;
  /** Integer 0..100. */
  progress: number;
  errorCode: string | null;
  errorMessage: string | null;
  /** When the current job was created (the attempt's start). */
  startedAt: Date | null;
  completedAt: Date | null;
  /** Last time status or progress moved; the stuck detector measures from here. */
  progressChangedAt: Date | null;
  /** Consecutive failed attempts to learn or store the job's state; drives back-off. */
  pollFailures: number;
  /** When upstream deletes the finished video; it must be downloaded before. */
  upstreamExpiresAt: Date | null;
  videoUrl: string | null;
  /** USD. */
  cost: number | null;
  blobKey: string | null;
  blobSize: number | null;
  blobSha256: string | null;
}

/** Every column the domain may write: the state plus thumbnail, scheduling and lease columns. */
export interface GenerationColumns extends GenerationState {
  thumbnailKey: string | null;
  nextPollAt: Date | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  /** When the last status request was made, and what went wrong with it (null: it was answered). */
  lastPolledAt: Date | null;
  lastPollError: string | null;
  /** Since when upstream has answered every status request of the job; null after one went unanswered. */
  upstreamAnsweringSince: Date | null;
  /** When a failed generation is due for an automatic new attempt; null: none planned. */
  autoRetryAt: Date | null;
}

/** The columns to update; a key that is absent stays as it is. An empty patch means "no write needed". */
export type GenerationPatch = Partial<GenerationColumns>;

/** The state after a patch: lets callers (and tests) compute messages for the new state without a re-read. */
export function applyPatch<S extends Partial<GenerationColumns>>(state: S, patch: GenerationPatch): S {
  return { ...state, ...patch };
}
