import type { StatusView } from '@sora-monitor/core/client';
import {
  autoRetryNotice,
  classifyFailure,
  estimateRemainingMs,
  formatRemaining,
  generationSteps,
  type FailureInfo,
  type ProgressSample,
} from '@sora-monitor/core/domain';

/** Everything `status` and `watch` show about a generation; also their `--json` output. */
export interface StatusReport extends StatusView {
  title: string | null;
  /** The step it is at: Submitted, Queued, Generating, Downloading, Ready (or the one that failed). */
  step: string | null;
  /** Milliseconds left, only when there is an honest basis for an estimate; null otherwise. */
  remainingMs: number | null;
  /** Plain-language explanation and advice for a failed generation. */
  failure: FailureInfo | null;
  /** The number of the current attempt, when known (it tells which attempt an automatic retry will be). */
  attempt?: number | null;
}

export interface ReportInput {
  title?: string | null;
  attempt?: number | null;
  pastDurationsMs?: readonly number[];
  samples?: readonly ProgressSample[];
  now?: Date;
}

const date = (iso: string | null) => (iso ? new Date(iso) : null);

export function buildReport(view: StatusView, input: ReportInput = {}): StatusReport {
  const now = input.now ?? new Date();
  const steps = generationSteps({
    status: view.status,
    progress: view.progress,
    // Failed at some progress means it was generating (or, at 100%, downloading) when it failed.
    inProgressAt: view.progress > 0 ? date(view.progressChangedAt) : null,
    // A job id or start time means the job reached the service's queue, even if no progress was seen before it
    // failed (a webhook can jump straight to failed).
    queuedAt: view.jobId || view.startedAt ? date(view.startedAt) : null,
    errorMessage: view.error,
  });
  const step =
    steps.find((candidate) => candidate.state === 'current' || candidate.state === 'failed') ??
    (view.status === 'completed' ? steps.at(-1) : undefined);
  return {
    ...view,
    title: input.title ?? null,
    attempt: input.attempt ?? null,
    step: step?.label ?? null,
    remainingMs: estimateRemainingMs({
      status: view.status,
      progress: view.progress,
      startedAt: date(view.startedAt),
      progressChangedAt: date(view.progressChangedAt),
      now,
      samples: input.samples,
      pastDurationsMs: input.pastDurationsMs,
    }),
    failure: view.status === 'failed' ? classifyFailure(view.errorCode) : null,
  };
}

/** "about 2 min left", or nothing at all when there is no honest estimate. */
export function remainingText(report: Pick<StatusReport, 'remainingMs'>): string {
  return report.remainingMs === null ? '' : formatRemaining(report.remainingMs);
}

export function formatCost(cost: number | null): string | null {
  return cost === null ? null : `$${cost.toFixed(2)}`;
}

/** Local time, minute precision: 2026-05-01 14:03. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The failure explained, with what to do about it and the command that retries (or the retry already planned). */
export function failureLines(report: StatusReport): string[] {
  const failure = report.failure ?? classifyFailure(report.errorCode);
  const retry = autoRetryText(report);
  return [
    `Failed: ${report.error ?? report.message}`,
    `${failure.title}. ${failure.explanation}`,
    retry ? `${retry}. Follow it with: sora-monitor watch ${report.videoId}` : `What to do: ${failure.advice}`,
    // Where the advice is to rephrase, the same prompt would be refused again: offer the retry with a new one first.
    failure.primaryAction === 'edit_prompt' && !retry
      ? `Retry with a new prompt: sora-monitor retry ${report.videoId} --prompt "…"`
      : `Retry${retry ? ' now' : ''} with: sora-monitor retry ${report.videoId}`,
  ];
}

/** "Retrying automatically in 30 s (attempt 2)" while a failure waits for its automatic retry; else null. */
export function autoRetryText(report: Pick<StatusReport, 'status' | 'autoRetryAt' | 'attempt'>, now = new Date()): string | null {
  if (report.status !== 'failed' || !report.autoRetryAt) return null;
  return autoRetryNotice({ autoRetryAt: new Date(report.autoRetryAt), now, attempt: report.attempt ?? null, maxAttempts: null }).text;
}

/** "failed while generating, at 29%", "in_progress 40% (Generating)", "retrying automatically in 30 s (attempt 2)". */
export function statusText(report: StatusReport, now = new Date()): string {
  if (report.status === 'failed') {
    const step = report.step ? ` while ${report.step.toLowerCase()}` : '';
    const retry = autoRetryText(report, now);
    return `failed${step}, at ${report.progress}%${retry ? `; ${retry.charAt(0).toLowerCase()}${retry.slice(1)}` : ''}`;
  }
  return `${report.status} ${report.progress}%${report.step ? ` (${report.step})` : ''}`;
}

/** The labelled lines `status` prints. */
export function reportLines(report: StatusReport, baseUrl: string): string[] {
  const rows: [string, string | null][] = [
    ['Video', report.title ? `${report.title} (${report.videoId})` : report.videoId],
    ['Status', statusText(report)],
    ['Message', report.message],
    ['Remaining', remainingText(report) || null],
    ['Content', report.videoUrl ? new URL(report.videoUrl, `${baseUrl}/`).href : null],
    ['Cost', formatCost(report.cost)],
  ];
  const lines = rows.flatMap(([label, value]) => (value ? [`${`${label}:`.padEnd(11)}${value}`] : []));
  return report.status === 'failed' ? [...lines, '', ...failureLines(report)] : lines;
}
