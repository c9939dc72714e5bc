import type { GenerationStatus } from '../trpc';

interface ProgressBarProps {
  status: GenerationStatus;
  progress: number;
  /** Read out with the percentage, e.g. "about 2 min left". */
  detail?: string | null;
  label?: string;
  size?: 'large' | 'small';
}

/**
 * A real progress bar: role="progressbar" with its value, the percentage as text beside it, and a fixed height so
 * updates never move the page. Queued shows 0% with a moving stripe: waiting, not frozen.
 */
export function ProgressBar({ status, progress, detail, label = 'Generation progress', size = 'large' }: ProgressBarProps) {
  const value = Math.max(0, Math.min(100, Math.floor(progress)));
  const shown = status === 'completed' ? 100 : value;
  return (
    <div className={`progress progress-${size} progress-${status}`}>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={shown}
        aria-valuetext={`${shown}%${detail ? `, ${detail}` : ''}`}
      >
        <div className="progress-fill" style={{ transform: `scaleX(${shown / 100})` }} />
      </div>
      <span className="progress-value" aria-hidden="true" data-testid="progress-percent">
        {shown}%
      </span>
    </div>
  );
}
