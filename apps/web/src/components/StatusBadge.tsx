import { STATUS_LABELS } from '../lib/format';
import type { GenerationStatus } from '../trpc';

/** `retrying`: failed, with an automatic retry planned. `downloading`: generated, being stored. */
export function StatusBadge({ status, stuck = false, retrying = false, downloading = false }: { status: GenerationStatus; stuck?: boolean; retrying?: boolean; downloading?: boolean }) {
  const label = stuck ? 'Stuck?' : retrying ? 'Retrying soon' : downloading ? 'Downloading' : STATUS_LABELS[status];
  return (
    <span className={`badge badge-${retrying ? 'queued' : status}${stuck ? ' badge-stuck' : ''}`} data-testid="status-badge">
      {label}
    </span>
  );
}
