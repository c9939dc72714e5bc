import type { AuditEventDraft } from './events';
import type { RefreshOutcome } from './observation';
import type { ActiveStatus } from './status';

export interface UnknownStatusNotice {
  /** First poll (of this run) to see the status: log it and write the audit event; later polls stay quiet. */
  firstSighting: boolean;
  /** Kept in the row (`last_poll_error`): shown as the status message until the service says something we know. */
  note: string;
  event: AuditEventDraft | null;
}

/**
 * What to record for an upstream status we do not know. The note is stored on the video row, so "already seen"
 * survives restarts and is shared by every instance: a job is logged (and audited) once when the status first
 * appears, not on every poll. A known answer or a failed poll clears the note, so a status that comes back after
 * that is reported again, once.
 */
export function unknownStatusNotice(
  previousNote: string | null,
  status: ActiveStatus,
  outcome: Extract<RefreshOutcome, { kind: 'unknown_status' }>,
): UnknownStatusNotice {
  const firstSighting = previousNote !== outcome.message;
  return {
    firstSighting,
    note: outcome.message,
    event: firstSighting
      ? {
          type: 'upstream_status_unknown',
          fromStatus: status,
          toStatus: status,
          message: outcome.message,
          data: { upstreamStatus: outcome.rawStatus.slice(0, 200) },
        }
      : null,
  };
}
