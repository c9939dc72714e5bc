import type { GenerationStatus } from '../trpc';

export const STATUS_LABELS: Readonly<Record<GenerationStatus, string>> = {
  not_started: 'Not started',
  queued: 'Queued',
  in_progress: 'Generating',
  completed: 'Ready',
  failed: 'Failed',
};

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
export function formatUsd(value: number): string {
  return usd.format(value);
}

// To the second: the history is read to see what happened when, and events seconds apart must not look simultaneous.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });

export function formatDateTime(iso: string | Date): string {
  return dateTime.format(typeof iso === 'string' ? new Date(iso) : iso);
}

/** Today's times as a clock time; older ones with their date. */
export function formatWhen(iso: string | Date, now = new Date()): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  return date.toDateString() === now.toDateString() ? timeOnly.format(date) : dateTime.format(date);
}

export { formatDuration } from '@sora-monitor/core/domain';

export function formatSize(size: string): string {
  return size.replace('x', ' × ');
}

