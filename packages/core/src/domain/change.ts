import type { AuditEventDraft } from './events';
import type { AttemptCreateOutcome } from './job-ended';
import type { GenerationPatch } from './state';
import type { GenerationStatus } from './status';

/** The columns of an attempt's history row a change may write. */
export interface AttemptPatch {
  status?: Exclude<GenerationStatus, 'not_started'>;
  jobId?: string | null;
  createOutcome?: AttemptCreateOutcome;
  progress?: number;
  errorCode?: string | null;
  errorMessage?: string | null;
  startedAt?: Date | null;
}

/**
 * What one state change does, decided by a pure function and committed in one transaction by the caller: the
 * video's current-generation columns, the attempt's history row (absent: it mirrors `patch`), and the audit events.
 */
export interface PlannedChange {
  patch: GenerationPatch;
  attempt?: AttemptPatch;
  events: AuditEventDraft[];
}
