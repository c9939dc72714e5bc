import type { AuditEventDraft } from './events';

/** Bytes of the finished video stored so far, as the Downloading step shows them. */
export interface DownloadProgress {
  bytes: number;
  /** From the video service's content-length; null when it did not say. */
  totalBytes: number | null;
}

/** At most one record this often: enough for a live bar, cheap for the database. */
export const DOWNLOAD_PROGRESS_MIN_INTERVAL_MS = 1_000;
/** ...and only after this much more of a known total (or this many bytes of an unknown one). */
const MIN_SHARE = 0.05;
const MIN_BYTES_UNKNOWN_TOTAL = 1024 * 1024;

/**
 * Whether a download's progress is worth recording now, given the last record: a coarse cadence (time and amount),
 * so a slow download is visible without an audit row per chunk. The first chunk is always recorded.
 */
export function shouldRecordDownloadProgress(
  last: { at: number; bytes: number } | null,
  next: DownloadProgress,
  nowMs: number,
): boolean {
  if (last === null) return true;
  if (nowMs - last.at < DOWNLOAD_PROGRESS_MIN_INTERVAL_MS) return false;
  const step = next.totalBytes ? next.totalBytes * MIN_SHARE : MIN_BYTES_UNKNOWN_TOTAL;
  return next.bytes - last.bytes >= step;
}

/** The audit row of a recorded download progress (the generation stays in progress at 100%). */
export function downloadProgressEvent(progress: DownloadProgress): AuditEventDraft {
  return {
    type: 'download_progress',
    fromStatus: 'in_progress',
    toStatus: 'in_progress',
    message: 'Storing the finished video',
    data: { bytes: progress.bytes, totalBytes: progress.totalBytes },
  };
}

/** A download progress from an audit event's data, or null when the data is not one. */
export function downloadProgressFromData(data: Readonly<Record<string, unknown>> | null): DownloadProgress | null {
  const bytes = data?.bytes;
  const total = data?.totalBytes;
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return null;
  return { bytes, totalBytes: typeof total === 'number' && total > 0 ? total : null };
}

/** A byte count as people read it: "512 B", "3.4 MB", "120 MB" (binary units, one decimal below 10). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
