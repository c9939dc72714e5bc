import { FAILURE_CODES } from './failures';
import type { GenerationStatus } from './status';

/*
 * Outgoing webhooks: which video changes a user's notification endpoints hear about, and what they are sent.
 * Payloads follow the Standard Webhooks shape `{ type, timestamp, data }`.
 */

export const OUTGOING_WEBHOOK_EVENTS = ['video.completed', 'video.failed', 'video.stuck', 'video.retrying'] as const;
export type OutgoingWebhookEvent = (typeof OUTGOING_WEBHOOK_EVENTS)[number];

/** Sent by "Send test event" to one endpoint, whatever events it chose. */
export const OUTGOING_WEBHOOK_TEST_EVENT = 'webhook.test';

/** What each event means, for the settings page and the docs. */
export const OUTGOING_WEBHOOK_EVENT_LABELS: Record<OutgoingWebhookEvent, string> = {
  'video.completed': 'Completed: the video is stored and ready',
  'video.failed': 'Failed: the generation failed and no automatic retry will follow',
  'video.stuck': 'Stuck: stopped after making no progress for too long',
  'video.retrying': 'Retrying: it failed, and an automatic retry is planned',
};

/** The committed video a change produced, as the payload describes it. */
export interface NotifiedVideo {
  id: string;
  title: string;
  model: string;
  size: string;
  seconds: number;
  status: GenerationStatus;
  progress: number;
  errorCode: string | null;
  errorMessage: string | null;
  autoRetryAt: Date | null;
  completedAt: Date | null;
  costUsd: number | null;
  /** When the change was committed (database clock). */
  updatedAt: Date;
}

/** The part of an audit event the mapping reads. */
export interface ChangeEvent {
  type: string;
  toStatus?: GenerationStatus | null;
}

/**
 * The events one committed change causes, in order:
 * - the status became completed → `video.completed`;
 * - the status became failed → `video.stuck` first when the stuck check stopped it, then `video.retrying` when an
 *   automatic retry is planned, else `video.failed` (the failure is final);
 * - a planned automatic retry was cancelled or refused (the spend cap) → `video.failed`: the failure is now final.
 * Everything else (progress, queued, a retry deferred, a reset, a new attempt) causes none.
 */
export function outgoingWebhookEvents(events: readonly ChangeEvent[], video: Pick<NotifiedVideo, 'status' | 'errorCode' | 'autoRetryAt'>): OutgoingWebhookEvent[] {
  const caused: OutgoingWebhookEvent[] = [];
  for (const event of events) {
    if (isCompletion(event)) caused.push('video.completed');
    if (isFailure(event)) {
      if (video.errorCode === FAILURE_CODES.stuckTimeout) caused.push('video.stuck');
      caused.push(video.autoRetryAt ? 'video.retrying' : 'video.failed');
    }
    if (endsAutoRetry(event) && video.status === 'failed' && !video.autoRetryAt) caused.push('video.failed');
  }
  return [...new Set(caused)];
}

/**
 * Whether `events` can cause any outgoing webhook, whatever the committed row turns out to be: only such a change
 * needs the row read back before it commits (most changes, progress above all, are written in one statement).
 */
export function mayCauseOutgoingWebhooks(events: readonly ChangeEvent[]): boolean {
  return events.some((event) => isCompletion(event) || isFailure(event) || endsAutoRetry(event));
}

const isCompletion = (event: ChangeEvent) => event.type === 'status_changed' && event.toStatus === 'completed';
const isFailure = (event: ChangeEvent) => event.type === 'status_changed' && event.toStatus === 'failed';
const endsAutoRetry = (event: ChangeEvent) => event.type === 'auto_retry_cancelled' || event.type === 'auto_retry_refused';

/** The JSON body sent for `type` (the exact bytes are signed and stored, so every try sends the same). */
export function outgoingWebhookPayload(type: OutgoingWebhookEvent, video: NotifiedVideo): string {
  return JSON.stringify({
    type,
    timestamp: video.updatedAt.toISOString(),
    data: {
      videoId: video.id,
      title: video.title,
      model: video.model,
      size: video.size,
      seconds: video.seconds,
      status: video.status,
      progress: video.progress,
      error: video.errorCode || video.errorMessage ? { code: video.errorCode, message: video.errorMessage } : null,
      retryAt: type === 'video.retrying' && video.autoRetryAt ? video.autoRetryAt.toISOString() : null,
      completedAt: video.completedAt?.toISOString() ?? null,
      costUsd: video.costUsd,
    },
  });
}

/** The body of a test event for one endpoint. */
export function testWebhookPayload(endpointId: string, now: Date): string {
  return JSON.stringify({
    type: OUTGOING_WEBHOOK_TEST_EVENT,
    timestamp: now.toISOString(),
    data: { endpointId, message: 'A test event from Sora Monitor: this endpoint receives and verifies deliveries.' },
  });
}
