import {
  downloadProgressFromData,
  isActive,
  type DownloadProgress,
  type ProgressSample,
  type StepKey,
  type StepsInput,
} from '@sora-monitor/core/domain';
import type { AttemptView, EventView, History, StatusView } from '../trpc';

/** An active generation whose progress has not moved for this long is offered a reset. */
export const STUCK_AFTER_MS = 60_000;
/** Waiting in the provider's queue this long is unusual enough to offer a reset too. */
export const QUEUED_TOO_LONG_MS = 3 * 60_000;
/** How often an open page asks for fresh status while a generation is active (the server coalesces). */
export const ACTIVE_POLL_MS = 3_000;

const date = (iso: unknown) => (typeof iso === 'string' && iso ? new Date(iso) : null);

export interface StuckInfo {
  /** How long nothing has moved, in ms. */
  idleMs: number;
  reason: 'no_progress' | 'queued_too_long';
}

/** Whether an active generation looks stuck from the user's side (the server's sweeper has the final word). */
export function stuckInfo(status: StatusView, now: Date): StuckInfo | null {
  if (!isActive(status.status)) return null;
  const since = date(status.progressChangedAt) ?? date(status.startedAt);
  if (!since) return null;
  const idleMs = now.getTime() - since.getTime();
  if (status.status === 'queued') return idleMs >= QUEUED_TOO_LONG_MS ? { idleMs, reason: 'queued_too_long' } : null;
  return idleMs >= STUCK_AFTER_MS ? { idleMs, reason: 'no_progress' } : null;
}

/** The attempt the status describes: the one with its job id, else the newest (its job may be unconfirmed). */
export function currentAttempt(status: StatusView, history: History | undefined): AttemptView | null {
  if (!history || status.status === 'not_started') return null;
  const byJob = status.jobId ? history.attempts.find((attempt) => attempt.jobId === status.jobId) : undefined;
  return byJob ?? history.attempts[0] ?? null;
}

function attemptEvents(history: History | undefined, attempt: AttemptView | null): EventView[] {
  if (!history || !attempt) return [];
  // Newest first from the server; oldest first here so "first time X happened" is a find().
  return history.events.filter((event) => event.generationId === attempt.id).toReversed();
}

function progressOf(event: EventView): number | null {
  const data = event.data ?? {};
  const value = event.type === 'progress' ? data.toProgress : data.progress;
  return typeof value === 'number' ? value : null;
}

/** The input of `generationSteps`: the status plus the times the audit log recorded for this attempt. */
export function stepsInput(status: StatusView, history: History | undefined): StepsInput {
  const attempt = currentAttempt(status, history);
  const events = attemptEvents(history, attempt);
  const firstAt = (match: (event: EventView) => boolean) => date(events.find(match)?.createdAt);
  return {
    status: status.status,
    progress: status.progress,
    requestedAt: date(attempt?.requestedAt) ?? firstAt((event) => event.type === 'generation_requested'),
    queuedAt: firstAt((event) => event.type === 'job_created') ?? date(status.startedAt),
    inProgressAt: firstAt((event) => event.toStatus === 'in_progress' && event.fromStatus !== 'in_progress'),
    downloadingAt: firstAt(
      (event) => event.type === 'download_progress' || (event.toStatus === 'in_progress' && (progressOf(event) ?? 0) >= 100),
    ),
    completedAt: firstAt((event) => event.toStatus === 'completed') ?? date(status.completedAt),
    failedAt: firstAt((event) => event.toStatus === 'failed'),
    errorMessage: status.error,
    failedDuring: status.status === 'failed' ? failedStep(events) : null,
  };
}

const STEP_KEYS: readonly string[] = ['submitted', 'queued', 'generating', 'downloading', 'ready'];

/** The step the server recorded a failure in (older failures did not record it: inferred then). */
function failedStep(events: readonly EventView[]): StepKey | null {
  const step = events.findLast((event) => event.toStatus === 'failed' && event.fromStatus !== 'failed')?.data?.step;
  return typeof step === 'string' && STEP_KEYS.includes(step) ? (step as StepKey) : null;
}

/** Whether the finished video is being stored (the Downloading step): upstream is done, the file is on its way. */
export function isDownloading(status: Pick<StatusView, 'status' | 'progress'> | undefined): boolean {
  return status?.status === 'in_progress' && status.progress >= 100;
}

/** The bytes of the finished video stored so far, while the current attempt is being downloaded. */
export function downloadProgress(status: StatusView, history: History | undefined): DownloadProgress | null {
  if (!isDownloading(status)) return null;
  const events = attemptEvents(history, currentAttempt(status, history));
  const latest = events.findLast((event) => event.type === 'download_progress');
  return latest ? downloadProgressFromData(latest.data) : null;
}

/** Recent progress observations of the current attempt (audit log plus the latest status), oldest first. */
export function progressSamples(status: StatusView, history: History | undefined, limit = 8): ProgressSample[] {
  if (status.status !== 'in_progress') return [];
  const attempt = currentAttempt(status, history);
  const samples: ProgressSample[] = [];
  for (const event of attemptEvents(history, attempt)) {
    const progress = progressOf(event);
    if (event.toStatus === 'in_progress' && progress !== null) samples.push({ at: new Date(event.createdAt), progress });
  }
  const changedAt = date(status.progressChangedAt);
  if (changedAt && !samples.some((sample) => sample.at.getTime() === changedAt.getTime())) {
    samples.push({ at: changedAt, progress: status.progress });
  }
  return samples.sort((a, b) => a.at.getTime() - b.at.getTime()).slice(-limit);
}

/** The newer of two snapshots of one generation (a pushed one may arrive after a fresher poll). */
export function newerStatus(current: StatusView | undefined, incoming: StatusView): StatusView {
  if (!current) return incoming;
  return Date.parse(incoming.updatedAt) >= Date.parse(current.updatedAt) ? incoming : current;
}

/**
 * `structuralSharing` for a status query: a poll answer read before a change the subscription already pushed (the
 * switch to Generating, a progress step) must not put the page back until the next poll; the newer snapshot wins.
 */
export function keepNewerStatus(current: unknown, incoming: unknown): unknown {
  return newerStatus(current as StatusView | undefined, incoming as StatusView);
}

/**
 * An attempt's fields. The router declares only `id` and `attempt` in its output schema (the rest passes through
 * untyped), so they are read defensively here.
 */
export interface AttemptDetails {
  id: string;
  attempt: number;
  jobId: string | null;
  status: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  cost: number | null;
  /** Whether the daily spend cap counts it: its job was (or may have been) created and did not fail before rendering. */
  countsTowardSpend: boolean;
  requestedAt: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
}

export function attemptDetails(attempt: AttemptView): AttemptDetails {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    id: attempt.id,
    attempt: attempt.attempt,
    jobId: text(attempt.jobId),
    status: text(attempt.status),
    errorCode: text(attempt.errorCode),
    errorMessage: text(attempt.errorMessage),
    cost: typeof attempt.cost === 'number' ? attempt.cost : null,
    countsTowardSpend: attempt.countsTowardSpend,
    requestedAt: date(attempt.requestedAt),
    startedAt: date(attempt.startedAt),
    completedAt: date(attempt.completedAt),
  };
}
