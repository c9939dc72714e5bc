import { autoRetryNotice } from '@sora-monitor/core/domain';

interface AutoRetryNoticeProps {
  autoRetryAt: string;
  now: Date;
  /** The number of the attempt that failed; null until the history has loaded. */
  attempt: number | null;
  maxAttempts: number | null;
  busy: boolean;
  onRetryNow(): void;
  onCancel(): void;
}

/**
 * A failure that will be retried on its own is not final: the countdown to the next attempt, with a way to start it
 * now or to keep the failure and decide later.
 */
export function AutoRetryNotice({ autoRetryAt, now, attempt, maxAttempts, busy, onRetryNow, onCancel }: AutoRetryNoticeProps) {
  const notice = autoRetryNotice({ autoRetryAt: new Date(autoRetryAt), now, attempt, maxAttempts });
  return (
    <div className="callout callout-warn" data-testid="auto-retry">
      <p role="timer" aria-live="off" data-testid="auto-retry-countdown" data-seconds-left={notice.secondsLeft}>
        <strong>{notice.text}</strong>
      </p>
      <p className="small">This attempt failed with a problem that usually goes away on its own, so a new attempt starts by itself.</p>
      <div className="actions">
        <button type="button" className="button button-primary" disabled={busy} onClick={onRetryNow}>
          Retry now
        </button>
        <button type="button" className="button" disabled={busy} onClick={onCancel}>
          Cancel automatic retry
        </button>
      </div>
    </div>
  );
}
