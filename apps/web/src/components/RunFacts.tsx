import { runDurations, type StepsInput } from '@sora-monitor/core/domain';
import { formatDuration } from '../lib/format';

/** How the finished (or failed) run went: its duration and the time it spent queued. */
export function RunFacts({ steps }: { steps: StepsInput }) {
  if (steps.status !== 'completed' && steps.status !== 'failed') return null;
  const { queuedMs, totalMs } = runDurations({
    requestedAt: steps.requestedAt ?? null,
    queuedAt: steps.queuedAt ?? null,
    inProgressAt: steps.inProgressAt ?? null,
    finishedAt: steps.completedAt ?? steps.failedAt ?? null,
  });
  if (queuedMs === null && totalMs === null) return null;
  return (
    <p className="muted small" data-testid="run-facts">
      {totalMs !== null ? `${steps.status === 'completed' ? 'Generated' : 'Ended'} in ${formatDuration(totalMs)}` : null}
      {totalMs !== null && queuedMs !== null ? ' · ' : null}
      {queuedMs !== null ? `${formatDuration(queuedMs)} queued` : null}
    </p>
  );
}
