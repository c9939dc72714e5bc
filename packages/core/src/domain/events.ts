import type { GenerationStatus } from './status';

/**
 * Kinds of audit rows the domain drafts:
 * - status_changed: the stored status moved (exactly one per change);
 * - progress: only the progress moved;
 * - reset: a user cleared the generation (also written when it was already not started);
 * - upstream_status_unknown: the service reported a status we do not know (once, when it first appears);
 * - the lifecycle of an attempt (requested, job created, create unconfirmed) and automatic-retry decisions.
 */
export type AuditEventType =
  | 'status_changed'
  | 'progress'
  | 'reset'
  | 'upstream_status_unknown'
  /** A new attempt was recorded, before its create call. */
  | 'generation_requested'
  /** Upstream accepted the create (or a lost create was found). */
  | 'job_created'
  /** The create's answer was lost: the job is looked up, not created again. */
  | 'create_unconfirmed'
  /** An automatic retry was not started (spend cap, or the previous job may still finish). */
  | 'auto_retry_refused'
  | 'auto_retry_deferred'
  /** The user cancelled a planned automatic retry. */
  | 'auto_retry_cancelled'
  /** Bytes of the finished video stored so far (not shown in the activity log). */
  | 'download_progress'
  /** A status request the video service could not answer (5xx, 429, network, timeout). */
  | 'transient_problem';

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
