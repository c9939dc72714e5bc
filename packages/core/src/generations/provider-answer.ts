import type { AuditEventDraft } from '../domain';
import type { RetrieveResult } from '../provider';

/** Event kinds support reads the provider's own answer on: a status change and a passing upstream problem. */
const WITH_ANSWER = new Set(['status_changed', 'transient_problem']);

/**
 * What the video service answered, as compact JSON, for support (shown collapsed in the activity log). Only on the
 * rows that matter, never on every progress tick, so the log stays small.
 */
export function withProviderAnswer(events: readonly AuditEventDraft[], result: RetrieveResult): AuditEventDraft[] {
  const { kind, ...answer } = result;
  const json = JSON.stringify(kind === 'video' ? result.video : { kind, ...answer });
  return events.map((event) => (WITH_ANSWER.has(event.type) ? { ...event, data: { ...event.data, providerAnswer: json } } : event));
}
