import { and, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { EventActor, GenerationStatus } from '../schema/enums';
import { generationStatus } from '../schema/enums';
import {
  soraEvents,
  soraGenerations,
  videos,
  type NewEvent,
  type NewGeneration,
  type NewVideo,
  type Video,
} from '../schema';
import type { Database } from '../types';
import { assertChannelName } from '../channel';
import { enqueueUserWebhookDeliveries, type OutgoingWebhookDraft } from './enqueue-user-webhook-deliveries';

/** The channel every video change is announced on. Payload: `{"videoId","userId"}` only; listeners re-read. */
export const VIDEO_CHANGED_CHANNEL = 'sora_video_changed';
assertChannelName(VIDEO_CHANGED_CHANNEL);

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
  if (!outgoingWebhooks) return writeVideoChange(db, change);
  return db.transaction(async (tx) => {
    const committed = await writeVideoChange(tx, change);
    if (!committed) return null;
    const drafts = outgoingWebhooks(committed.video);
    if (drafts.length > 0)
      await enqueueUserWebhookDeliveries(tx, { userId: change.userId, videoId: change.videoId, drafts });
    return committed;
  });
}

async function writeVideoChange(db: Database, change: VideoChange): Promise<CommittedChange | null> {
  const guards: SQL[] = [
    eq(videos.id, change.videoId),
    eq(videos.soraGenerationStatus, change.expect.status),
    sql`${videos.soraJobId} is not distinct from ${change.expect.jobId}`,
  ];
  if (change.expect.leaseOwner !== undefined) guards.push(eq(videos.leaseOwner, change.expect.leaseOwner));

  const updated = db.$with('updated').as(
    db
      .update(videos)
      .set({ ...change.set, updatedAt: sql`now()` })
      .where(and(...guards))
      .returning(),
  );
  const ctes: Parameters<typeof db.with> = [updated];
  const guarded = sql`exists (select 1 from ${sql.identifier('updated')})`;

  if (change.generationId && change.generationSet && Object.keys(change.generationSet).length > 0) {
    ctes.push(
      db.$with('generation_updated').as(
        db
          .update(soraGenerations)
          .set({ ...change.generationSet, updatedAt: sql`now()` })
          .where(and(eq(soraGenerations.id, change.generationId), guarded))
          .returning({ id: soraGenerations.id }),
      ),
    );
  }
  let eventIds = sql`'[]'::json`;
  let notified = sql`null`;
  if (change.events.length > 0) {
    const rows = change.events.map((event) => ({
      type: event.type,
      from_status: event.fromStatus ?? null,
      to_status: event.toStatus ?? null,
      message: event.message ?? null,
      data: event.data ?? null,
    }));
    const status = sql.identifier(generationStatus.enumName);
    ctes.push(
      db.$with('inserted', { id: soraEvents.id }).as(
        sql`insert into ${soraEvents} (video_id, user_id, generation_id, actor, type, from_status, to_status, message, data)
            select ${change.videoId}::uuid, ${change.userId}, ${change.generationId}::uuid, ${change.actor},
                   e.type, e.from_status, e.to_status, e.message, e.data
            from rows from (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
                   as (type text, from_status ${status}, to_status ${status}, message text, data jsonb))
                 with ordinality as e(type, from_status, to_status, message, data, position)
            where ${guarded}
            order by e.position
            returning id`,
      ),
    );
    eventIds = sql`(select coalesce(json_agg(id order by id), '[]'::json) from ${sql.identifier('inserted')})`;
    // In the select list, so it runs once, for the updated row only: no row, no announcement.
    notified = sql`pg_notify(${VIDEO_CHANGED_CHANNEL}, ${JSON.stringify({ videoId: change.videoId, userId: change.userId })})`;
  }

  // The updated row's columns as the CTE exposes them: drizzle maps each back to its column's type.
  const columns = Object.fromEntries(
    Object.keys(getTableColumns(videos)).map((key) => [key, updated[key as keyof typeof updated]]),
  );
  const [row] = await db
    .with(...ctes)
    .select({
      ...(columns as typeof updated._.selectedFields),
      eventIds: sql<number[]>`${eventIds}`,
      notified: sql`${notified}`,
    })
    .from(updated);
  if (!row) return null;
  const { eventIds: ids, notified: _announced, ...video } = row;
  return { video: video as Video, eventIds: ids.map(Number) };
}
