import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { EventActor, GenerationStatus } from '../schema/enums';
import { soraEvents, soraGenerations, videos, type NewEvent, type NewGeneration, type NewVideo, type Video } from '../schema';
import type { Database } from '../types';
import { notify } from '../notify';
import { enqueueUserWebhookDeliveries, type OutgoingWebhookDraft } from './enqueue-user-webhook-deliveries';

/** The channel every video change is announced on. Payload: `{"videoId","userId"}` only; listeners re-read. */
export const VIDEO_CHANGED_CHANNEL = 'sora_video_changed';

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
   * this same transaction. Absent: nothing.
   */
  outgoingWebhooks?: (video: Video) => OutgoingWebhookDraft[];
}

export interface CommittedChange {
  video: Video;
  eventIds: number[];
}

/**
 * State, history row, audit events, queued outgoing webhooks and the NOTIFY in ONE transaction: they can never
 * disagree, and listeners hear about the change only once it is committed. Returns null (and writes nothing) when the guard no longer holds.
 */
export async function commitVideoChange(db: Database, change: VideoChange): Promise<CommittedChange | null> {
  return db.transaction(async (tx) => {
    const guards: SQL[] = [
      eq(videos.id, change.videoId),
      eq(videos.soraGenerationStatus, change.expect.status),
      sql`${videos.soraJobId} is not distinct from ${change.expect.jobId}`,
    ];
    if (change.expect.leaseOwner !== undefined) guards.push(eq(videos.leaseOwner, change.expect.leaseOwner));

    const [video] = await tx
      .update(videos)
      .set({ ...change.set, updatedAt: sql`now()` })
      .where(and(...guards))
      .returning();
    if (!video) return null;

    if (change.generationId && change.generationSet && Object.keys(change.generationSet).length > 0) {
      await tx
        .update(soraGenerations)
        .set({ ...change.generationSet, updatedAt: sql`now()` })
        .where(eq(soraGenerations.id, change.generationId));
    }

    let eventIds: number[] = [];
    if (change.events.length > 0) {
      const inserted = await tx
        .insert(soraEvents)
        .values(
          change.events.map((event) => ({
            ...event,
            videoId: change.videoId,
            userId: change.userId,
            generationId: change.generationId,
            actor: change.actor,
          })),
        )
        .returning({ id: soraEvents.id });
      eventIds = inserted.map((row) => row.id);
      await notify(tx, VIDEO_CHANGED_CHANNEL, JSON.stringify({ videoId: change.videoId, userId: change.userId }));
    }
    const drafts = change.outgoingWebhooks?.(video) ?? [];
    if (drafts.length > 0) await enqueueUserWebhookDeliveries(tx, { userId: change.userId, videoId: change.videoId, drafts });
    return { video, eventIds };
  });
}
