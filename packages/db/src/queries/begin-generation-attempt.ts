import { and, eq, max, sql } from 'drizzle-orm';
import {
  soraEvents,
  soraGenerations,
  videos,
  type EventActor,
  type Generation,
  type NewEvent,
  type NewVideo,
  type Video,
} from '../schema';
import type { Database } from '../types';
import { notify } from '../notify';
import { VIDEO_CHANGED_CHANNEL } from './commit-video-change';
import { dbNow } from './db-now';
import { listAttemptsToday, lockUserSpending, type AttemptToday } from './todays-spend';
import { isUuid } from './uuid';

export interface BeganAttempt {
  video: Video;
  generation: Generation;
}

type EventDraft = Pick<NewEvent, 'type' | 'fromStatus' | 'toStatus' | 'message' | 'data'>;

/** What a new attempt writes, planned by core's pure domain from the locked row, the attempt number and the DB clock. */
export type AttemptPlanner = (video: Video, attempt: number, now: Date) => { set: Partial<NewVideo>; events: EventDraft[] };

/**
 * Records a new attempt BEFORE the upstream create call (so a crash or a lost response can be reconciled later), in
 * one transaction: locks the user's video row (or inserts a new video with its `created` event), lets `assertCanStart`
 * and `assertCanSpend` veto (under a per-user lock, so concurrent starts of one user are checked one after the other),
 * inserts the attempt, applies the planned video columns and writes the planned audit events. A veto rolls back
 * everything, a new video included. Null when the user has no such video.
 */
export async function beginGenerationAttempt(
  db: Database,
  args: {
    userId: string;
    target: { videoId: string } | { newVideo: Omit<NewVideo, 'userId'>; createdMessage: string };
    assertCanStart: (video: Video) => void;
    assertCanSpend?: (video: Video, attemptsToday: AttemptToday[]) => void;
    plan: AttemptPlanner;
    actor?: EventActor;
  },
): Promise<BeganAttempt | null> {
  if ('videoId' in args.target && !isUuid(args.target.videoId)) return null;
  return db.transaction(async (tx) => {
    const locked = await lockOrInsertVideo(tx, args.userId, args.target, args.actor ?? 'user');
    if (!locked) return null;
    args.assertCanStart(locked);
    if (args.assertCanSpend) {
      await lockUserSpending(tx, locked.userId);
      args.assertCanSpend(locked, await listAttemptsToday(tx, locked.userId));
    }

    const [last] = await tx
      .select({ attempt: max(soraGenerations.attempt) })
      .from(soraGenerations)
      .where(eq(soraGenerations.videoId, locked.id));
    const attempt = (last?.attempt ?? 0) + 1;
    const [generation] = await tx
      .insert(soraGenerations)
      .values({
        videoId: locked.id,
        userId: locked.userId,
        attempt,
        status: 'queued',
        createOutcome: 'pending',
        prompt: locked.prompt,
        model: locked.model,
        size: locked.size,
        seconds: locked.seconds,
      })
      .returning();
    if (!generation) throw new Error('Inserting the generation attempt returned no row');

    const planned = args.plan(locked, attempt, await dbNow(tx));
    const [video] = await tx
      .update(videos)
      .set({ ...planned.set, currentGenerationId: generation.id, updatedAt: sql`now()` })
      .where(eq(videos.id, locked.id))
      .returning();
    if (!video) throw new Error('Updating the video for a new attempt returned no row');

    if (planned.events.length > 0) {
      await tx.insert(soraEvents).values(
        planned.events.map((event) => ({
          ...event,
          videoId: video.id,
          userId: video.userId,
          generationId: generation.id,
          actor: args.actor ?? 'user',
        })),
      );
    }
    await notify(tx, VIDEO_CHANGED_CHANNEL, JSON.stringify({ videoId: video.id, userId: video.userId }));
    return { video, generation };
  });
}

async function lockOrInsertVideo(
  tx: Database,
  userId: string,
  target: { videoId: string } | { newVideo: Omit<NewVideo, 'userId'>; createdMessage: string },
  actor: EventActor,
): Promise<Video | null> {
  if ('videoId' in target) {
    const [locked] = await tx
      .select()
      .from(videos)
      .where(and(eq(videos.id, target.videoId), eq(videos.userId, userId)))
      .for('update');
    return locked ?? null;
  }
  const [created] = await tx.insert(videos).values({ ...target.newVideo, userId }).returning();
  if (!created) throw new Error('Inserting the video returned no row');
  await tx.insert(soraEvents).values({
    videoId: created.id,
    userId,
    actor,
    type: 'created',
    toStatus: 'not_started',
    message: target.createdMessage,
  });
  return created;
}
