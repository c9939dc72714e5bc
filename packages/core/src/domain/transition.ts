import { type AuditEventDraft, progressEvent, statusChangedEvent } from './events';
import { FAILURE_CODES } from './failures';
import {
  COMPLETED_MESSAGE,
  JOB_CANCELLED_MESSAGE,
  JOB_EXPIRED_MESSAGE,
  JOB_NOT_FOUND_MESSAGE,
  UPSTREAM_FAILURE_FALLBACK_MESSAGE,
  downloadFailedMessage,
  downloadRetryMessage,
  failedMessage,
  statusMessage,
  unavailableMessage,
  unknownStatusMessage,
} from './messages';
import type {
  DownloadFailedObservation,
  DownloadedObservation,
  Observation,
  RefreshOutcome,
  TransitionResult,
  VideoObservation,
} from './observation';
import { advanceProgress } from './progress';
import type { GenerationPatch, GenerationState } from './state';
import { type ActiveStatus, isActive, isTerminal } from './status';
import type { StepKey } from './steps';
import { normaliseUpstreamStatus, type UpstreamEnding } from './upstream-status';

/** The part of the stored state the state machine reads. */
export type TransitionState = Pick<
  GenerationState,
  'status' | 'progress' | 'pollFailures' | 'upstreamExpiresAt' | 'errorCode' | 'errorMessage'
>;

/**
 * The refresh state machine: what one observation of the upstream job does to the stored generation.
 * Pure: `now` is the clock to stamp `progressChangedAt` with (the database's, when the caller has it).
 *
 * - Terminal generations never change; a not-started one ignores observations (a reset won a race).
 * - Upstream unavailable never fails a job: status stays, `pollFailures` grows, the caller backs off.
 * - Upstream completed is not yet "completed": the status is in_progress at 100% until the video is
 *   stored (`downloaded`), so a completed generation always has its video.
 * - Status never moves back (in_progress -> queued is ignored) and neither does progress.
 */
export function refreshTransition(
  state: TransitionState,
  observation: Observation,
  now: Date,
): TransitionResult {
  const from = state.status;
  if (isTerminal(from)) return unchanged({ kind: 'terminal', status: from });
  if (!isActive(from)) return unchanged({ kind: 'not_started' });

  switch (observation.kind) {
    case 'video':
      return observeVideo(state, from, observation, now);
    case 'not_found':
      return fail(from, FAILURE_CODES.jobNotFound, JOB_NOT_FOUND_MESSAGE, now, answered(state), stepAt(from, state.progress));
    case 'unavailable': {
      const pollFailures = state.pollFailures + 1;
      return {
        patch: { pollFailures },
        events: [],
        outcome: {
          kind: 'temporarily_unavailable',
          reason: observation.reason,
          message: unavailableMessage(observation.reason),
          retryAfterMs: observation.retryAfterMs ?? null,
          pollFailures,
        },
      };
    }
    case 'downloaded':
      return complete(state, from, observation, now);
    case 'download_failed':
      return downloadFailed(state, from, observation, now);
  }
}

function observeVideo(
  state: TransitionState,
  from: ActiveStatus,
  video: VideoObservation,
  now: Date,
): TransitionResult {
  const patch: GenerationPatch = { ...answered(state), ...expiryChange(state, video.expiresAt) };
  const meaning = normaliseUpstreamStatus(video.status);
  if (meaning === null) {
    const outcome: RefreshOutcome = {
      kind: 'unknown_status',
      rawStatus: video.status,
      message: unknownStatusMessage(video.status),
    };
    return { patch, events: [], outcome };
  }

  if (meaning.status === 'failed') {
    const { code, message } = failureOf(meaning.ending, video);
    // The progress it failed at tells the step it failed in (a poll may never have seen it generating).
    const progress = advanceProgress(state.progress, video.progress);
    const progressPatch: GenerationPatch = progress === state.progress ? {} : { progress };
    return fail(from, code, message, now, { ...patch, ...progressPatch }, stepAt(from, progress));
  }
  const mapped = meaning.status;

  const finished = mapped === 'completed';
  const to: ActiveStatus = finished || from === 'in_progress' ? 'in_progress' : mapped;
  const progress = finished ? 100 : advanceProgress(state.progress, video.progress);
  const moved = move(state, from, to, progress, now);
  const outcome: RefreshOutcome = finished
    ? {
        kind: 'needs_download',
        completedAt: video.completedAt ?? null,
        expiresAt: video.expiresAt ?? state.upstreamExpiresAt,
      }
    : { kind: 'tracking', status: to, progress };
  return { patch: { ...patch, ...moved.patch }, events: moved.events, outcome };
}

/** Expired and cancelled are told by the status itself, with our own code and words; other failures by upstream's. */
function failureOf(
  ending: UpstreamEnding,
  video: VideoObservation,
): { code: string | null; message: string } {
  switch (ending) {
    case 'expired':
      return { code: FAILURE_CODES.jobExpired, message: JOB_EXPIRED_MESSAGE };
    case 'cancelled':
      return { code: FAILURE_CODES.jobCancelled, message: JOB_CANCELLED_MESSAGE };
    case 'failed':
      return {
        code: video.error?.code?.trim() || null,
        message: video.error?.message?.trim() || UPSTREAM_FAILURE_FALLBACK_MESSAGE,
      };
  }
}

/** Status and progress changes between two active states, with the one event that describes them. */
function move(
  state: TransitionState,
  from: ActiveStatus,
  to: ActiveStatus,
  progress: number,
  now: Date,
): { patch: GenerationPatch; events: AuditEventDraft[] } {
  const progressPatch: GenerationPatch = progress === state.progress ? {} : { progress };
  const message = statusMessage({ status: to, progress, errorMessage: null });
  if (to !== from) {
    return {
      patch: { status: to, ...progressPatch, progressChangedAt: now },
      events: [statusChangedEvent(from, to, message, { progress })],
    };
  }
  if (progress > state.progress) {
    return {
      patch: { ...progressPatch, progressChangedAt: now },
      events: [progressEvent(to, state.progress, progress, message)],
    };
  }
  return { patch: progressPatch, events: [] };
}

function complete(
  state: TransitionState,
  from: ActiveStatus,
  downloaded: DownloadedObservation,
  now: Date,
): TransitionResult {
  const patch: GenerationPatch = {
    ...answered(state),
    status: 'completed',
    progress: 100,
    progressChangedAt: now,
    completedAt: downloaded.completedAt,
    cost: downloaded.costUsd,
    blobKey: downloaded.blob.key,
    blobSize: downloaded.blob.size,
    blobSha256: downloaded.blob.sha256,
    ...(downloaded.thumbnailKey === undefined ? {} : { thumbnailKey: downloaded.thumbnailKey }),
    ...(downloaded.videoUrl === undefined ? {} : { videoUrl: downloaded.videoUrl }),
    ...(state.errorCode === null ? {} : { errorCode: null }),
    ...(state.errorMessage === null ? {} : { errorMessage: null }),
    // A thumbnail to try again later: its first try is counted (see `planThumbnailRetry`).
    ...(downloaded.thumbnailRetryAt ? { pollFailures: 1 } : {}),
  };
  const event = statusChangedEvent(from, 'completed', COMPLETED_MESSAGE, {
    blobSize: downloaded.blob.size,
    costUsd: downloaded.costUsd,
    completedAt: downloaded.completedAt.toISOString(),
  });
  const outcome: RefreshOutcome = downloaded.thumbnailRetryAt ? { kind: 'completed', thumbnailRetryAt: downloaded.thumbnailRetryAt } : { kind: 'completed' };
  return { patch, events: [event], outcome };
}

function downloadFailed(
  state: TransitionState,
  from: ActiveStatus,
  failure: DownloadFailedObservation,
  now: Date,
): TransitionResult {
  if (!failure.retryable) {
    return fail(from, FAILURE_CODES.downloadFailed, downloadFailedMessage(failure.reason), now, {}, 'downloading');
  }
  // Upstream deletes the video at expiresAt: after that another try cannot succeed, so say so now.
  const expiresAt = state.upstreamExpiresAt;
  if (expiresAt !== null && now.getTime() >= expiresAt.getTime()) {
    const reason = `${failure.reason.trim() || 'unknown error'} (the download link has expired)`;
    return fail(from, FAILURE_CODES.downloadFailed, downloadFailedMessage(reason), now, {}, 'downloading');
  }
  const pollFailures = state.pollFailures + 1;
  return {
    patch: { pollFailures },
    events: [],
    outcome: {
      kind: 'download_retry',
      reason: failure.reason,
      message: downloadRetryMessage(failure.reason),
      pollFailures,
    },
  };
}

function fail(
  from: ActiveStatus,
  errorCode: string | null,
  errorMessage: string,
  now: Date,
  basePatch: GenerationPatch,
  step: StepKey,
): TransitionResult {
  return {
    patch: { ...basePatch, status: 'failed', errorCode, errorMessage, progressChangedAt: now },
    events: [statusChangedEvent(from, 'failed', failedMessage(errorMessage), { errorCode, step })],
    outcome: { kind: 'failed', errorCode, errorMessage },
  };
}

/** The step an active generation is in: queued, generating, or (at 100%) downloading. */
function stepAt(from: ActiveStatus, progress: number): StepKey {
  if (progress >= 100) return 'downloading';
  return from === 'in_progress' || progress > 0 ? 'generating' : 'queued';
}

function unchanged(outcome: RefreshOutcome): TransitionResult {
  return { patch: {}, events: [], outcome };
}

/** Upstream answered (whatever it said), so the run of unavailability is over. */
function answered(state: TransitionState): GenerationPatch {
  return state.pollFailures === 0 ? {} : { pollFailures: 0 };
}

function expiryChange(state: TransitionState, expiresAt: Date | null | undefined): GenerationPatch {
  if (!expiresAt || expiresAt.getTime() === state.upstreamExpiresAt?.getTime()) return {};
  return { upstreamExpiresAt: expiresAt };
}
