import type { EventActor, GenerationStatus } from '../schema/enums';
import type { NewEvent, NewGeneration, NewVideo, Video } from '../schema';
import type { Database } from '../types';
import { enqueueUserWebhookDeliveries, type OutgoingWebhookDraft } from './enqueue-user-webhook-deliveries';
import { runVideoChangeStatement } from './video-change-statement';

export { VIDEO_CHANGED_CHANNEL } from './video-change-statement';

export interface VideoChange {
  videoId: string;
  userId: string;
  /** The attempt the change belongs to; its row mirrors status, progress, error and cost. */
  generationId: string | null;
  actor: EventActor;
  /** The write happens only if the row is still in this state: a stale or paused writer changes nothing. */
  expect: { status: GenerationStatus; jobId: string | null; leaseOwner?: string };
  set: Partial<NewVideo>;
  generationSet?: Partial<NewGeneration>;
  events: Array<Pick<NewEvent, 'type' | 'fromStatus' | 'toStatus' | 'message' | 'data'>>;
  /**
   * What to tell the user's notification endpoints about the committed row (core's pure domain decides); queued in
   * the same transaction. Absent: nothing, and the change is one statement with no transaction around it.
   */
  outgoingWebhooks?: (video: Video) => OutgoingWebhookDraft[];
}

export interface CommittedChange {
  video: Video;
  eventIds: number[];
}

/**
 * State, history row, audit events and the NOTIFY in ONE statement (data-modifying CTEs, each gated on the guarded
 * video update), so they can never disagree, listeners hear about the change only once it is committed, and a
 * refresh's write is one round trip instead of six. Queued outgoing webhooks need the committed row, so a change that
 * may cause them runs that statement and the queueing in one transaction. Returns null (and writes nothing) when the
 * guard no longer holds.
 */
export async function commitVideoChange(db: Database, change: VideoChange): Promise<CommittedChange | null> {
  const { outgoingWebhooks } = change;
  if (!outgoingWebhooks) return runVideoChangeStatement(db, change, { prepared: true });
  return db.transaction(async (tx) => {
    const committed = await runVideoChangeStatement(tx, change, { prepared: false });
    if (!committed) return null;
    const drafts = outgoingWebhooks(committed.video);
    if (drafts.length > 0)
      await enqueueUserWebhookDeliveries(tx, { userId: change.userId, videoId: change.videoId, drafts });
    return committed;
  });
}
