import type { StatusView } from '@sora-monitor/core/client';
import {
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
}

export interface ReportInput {
  title?: string | null;
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
    failure: view.status === 'failed' ? classifyFailure(view.errorCode, view.error) : null,
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

/** The failure explained, with what to do about it and the command that retries. */
export function failureLines(report: StatusReport): string[] {
  const failure = report.failure ?? classifyFailure(report.errorCode, report.error);
  return [
    `Failed: ${report.error ?? report.message}`,
    `${failure.title}. ${failure.explanation}`,
    `What to do: ${failure.advice}`,
    `Retry with: sora-monitor retry ${report.videoId}`,
  ];
}

/** The labelled lines `status` prints. */
export function reportLines(report: StatusReport, baseUrl: string): string[] {
  const rows: [string, string | null][] = [
    ['Video', report.title ? `${report.title} (${report.videoId})` : report.videoId],
    ['Status', `${report.status} ${report.progress}%${report.step ? ` (${report.step})` : ''}`],
    ['Message', report.message],
    ['Remaining', remainingText(report) || null],
    ['Content', report.videoUrl ? new URL(report.videoUrl, `${baseUrl}/`).href : null],
    ['Cost', formatCost(report.cost)],
  ];
  const lines = rows.flatMap(([label, value]) => (value ? [`${`${label}:`.padEnd(11)}${value}`] : []));
  return report.status === 'failed' ? [...lines, '', ...failureLines(report)] : lines;
}
