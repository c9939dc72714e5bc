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

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });

export function formatDateTime(iso: string | Date): string {
  return dateTime.format(typeof iso === 'string' ? new Date(iso) : iso);
}

/** Today's times as a clock time; older ones with their date. */
export function formatWhen(iso: string | Date, now = new Date()): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  return date.toDateString() === now.toDateString() ? timeOnly.format(date) : dateTime.format(date);
}

/** "12 s", "3 min 5 s", "1 h 2 min": an elapsed time, precise enough to read at a glance. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

export function formatSize(size: string): string {
  return size.replace('x', ' × ');
}
