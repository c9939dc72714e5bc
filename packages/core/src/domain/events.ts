import type { GenerationStatus } from './status';

/**
 * Kinds of audit rows the domain drafts:
 * - status_changed: the stored status moved (exactly one per change);
 * - progress: only the progress moved;
 * - reset: a user cleared the generation (also written when it was already not started).
 */
export type AuditEventType = 'status_changed' | 'progress' | 'reset';

/** Flat JSON-safe details (a jsonb column); timestamps travel as ISO strings. */
export type AuditEventData = Readonly<Record<string, string | number | boolean | null>>;

/**
 * An audit row before the database adds who (user, poller, webhook, sweeper, system) and when
 * (its own clock), in the same transaction as the state change.
 */
export interface AuditEventDraft {
  type: AuditEventType;
  fromStatus: GenerationStatus;
  toStatus: GenerationStatus;
  /** User-facing sentence describing what happened. */
  message: string;
  data: AuditEventData;
}

export function statusChangedEvent(
  fromStatus: GenerationStatus,
  toStatus: GenerationStatus,
  message: string,
  data: AuditEventData = {},
): AuditEventDraft {
  return { type: 'status_changed', fromStatus, toStatus, message, data };
}

export function progressEvent(
  status: GenerationStatus,
  fromProgress: number,
  toProgress: number,
  message: string,
): AuditEventDraft {
  return {
    type: 'progress',
    fromStatus: status,
    toStatus: status,
    message,
    data: { fromProgress, toProgress },
  };
}
