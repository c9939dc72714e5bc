import { commitVideoChange, type CommittedChange, type Database, type OutgoingWebhookDraft, type Video, type VideoChange } from '@sora-monitor/db';
import { mayCauseOutgoingWebhooks, outgoingWebhookEvents, outgoingWebhookPayload, type ChangeEvent, type NotifiedVideo } from '../domain';

/**
 * The one way core commits a video change: `commitVideoChange` with the user's outgoing webhooks for it queued in
 * the same transaction (which events is the pure `outgoingWebhookEvents`). A change that cannot cause any is one
 * statement.
 */
export function commitChange(db: Database, change: Omit<VideoChange, 'outgoingWebhooks'>): Promise<CommittedChange | null> {
  const events = change.events as ChangeEvent[];
  if (!mayCauseOutgoingWebhooks(events)) return commitVideoChange(db, change);
  return commitVideoChange(db, { ...change, outgoingWebhooks: (video) => outgoingWebhookDrafts(events, video) });
}

function outgoingWebhookDrafts(events: ChangeEvent[], video: Video): OutgoingWebhookDraft[] {
  const notified = notifiedVideo(video);
  return outgoingWebhookEvents(events, notified).map((type) => ({ type, payload: outgoingWebhookPayload(type, notified) }));
}

function notifiedVideo(video: Video): NotifiedVideo {
  return {
    id: video.id,
    title: video.title,
    model: video.model,
    size: video.size,
    seconds: video.seconds,
    status: video.soraGenerationStatus,
    progress: video.soraProgress,
    errorCode: video.soraErrorCode,
    errorMessage: video.soraErrorMessage,
    autoRetryAt: video.autoRetryAt,
    completedAt: video.soraCompletedAt,
    costUsd: video.soraGenerationCost,
    updatedAt: video.updatedAt,
  };
}
