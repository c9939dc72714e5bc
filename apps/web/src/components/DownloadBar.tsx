import { formatBytes, type DownloadProgress } from '@sora-monitor/core/domain';
import { ProgressBar } from './ProgressBar';

/** The Downloading step: the finished video being stored, in bytes and as a bar (bytes only when the size is unknown). */
export function DownloadBar({ progress }: { progress: DownloadProgress | null }) {
  const percent = progress?.totalBytes ? Math.min(100, (progress.bytes / progress.totalBytes) * 100) : 0;
  const text = !progress
    ? 'Downloading the finished video…'
    : progress.totalBytes
      ? `Downloading the finished video: ${formatBytes(progress.bytes)} of ${formatBytes(progress.totalBytes)}`
      : `Downloading the finished video: ${formatBytes(progress.bytes)}`;
  return (
    <div className="download-progress" data-testid="download-progress" data-bytes={progress?.bytes ?? 0}>
      <p className="small">{text}</p>
      <ProgressBar status="in_progress" progress={percent} label="Download progress" detail={text} size="small" />
    </div>
  );
}
