import { STATUS_LABELS } from '../lib/format';
import type { GenerationStatus } from '../trpc';

export function StatusBadge({ status, stuck = false }: { status: GenerationStatus; stuck?: boolean }) {
  return (
    <span className={`badge badge-${status}${stuck ? ' badge-stuck' : ''}`} data-testid="status-badge">
      {stuck ? 'Stuck?' : STATUS_LABELS[status]}
    </span>
  );
}
