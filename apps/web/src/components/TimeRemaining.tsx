import { formatRemaining } from '@sora-monitor/core/domain';

/**
 * "about 2 min left" from the domain's estimate, or "estimating…" while there is no honest basis. Always
 * rendered (with a fixed line height) so the page does not move when the estimate appears.
 */
export function TimeRemaining({ remainingMs, active, stalled = false }: { remainingMs: number | null; active: boolean; stalled?: boolean }) {
  const text = !active
    ? ''
    : remainingMs !== null
      ? formatRemaining(remainingMs)
      : stalled
        ? 'no estimate while nothing moves'
        : 'estimating time left…';
  return (
    <span
      className={`remaining${remainingMs === null ? ' remaining-unknown' : ''}`}
      data-testid="time-remaining"
      data-remaining-ms={remainingMs === null ? undefined : Math.round(remainingMs)}
    >
      {text}
    </span>
  );
}
