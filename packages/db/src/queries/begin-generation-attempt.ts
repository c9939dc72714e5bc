import { and, eq, max, sql } from 'drizzle-orm';
import { soraEvents, soraGenerations, videos, type EventActor, type Generation, type Video } from '../schema';
import type { Database } from '../types';
import { notify } from '../notify';
import { VIDEO_CHANGED_CHANNEL } from './commit-video-change';
import { listChargeableAttemptsToday, lockUserSpending, type ChargeableAttempt } from './todays-spend';
import { isUuid } from './uuid';

export interface BeganAttempt {
  video: Video;
  generation: Generation;
}

/**
 * Records a new attempt BEFORE the upstream create call (so a crash or a lost response can be reconciled later):
 * locks the user's video row, lets `assertCanStart` veto (e.g. one already active), inserts the attempt, marks the
 * video queued, and writes the audit event, all in one transaction. Null when the user has no such video.
 */
export async function beginGenerationAttempt(
  db: Database,
  args: {
    userId: string;
    videoId: string;
    assertCanStart: (video: Video) => void;
    /**
     * Vetoes by today's chargeable attempts (the daily spend cap). Runs under a per-user lock in this transaction,
     * so concurrent starts by one user are checked one after the other, each seeing the others' attempts.
     */
    assertCanSpend?: (video: Video, attemptsToday: ChargeableAttempt[]) => void;
    message: string;
    actor?: EventActor;
  },
): Promise<BeganAttempt | null> {
  if (!isUuid(args.videoId)) return null;
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select()
      .from(videos)
      .where(and(eq(videos.id, args.videoId), eq(videos.userId, args.userId)))
      .for('update');
    if (!locked) return null;
    args.assertCanStart(locked);
    if (args.assertCanSpend) {
      await lockUserSpending(tx, locked.userId);
      args.assertCanSpend(locked, await listChargeableAttemptsToday(tx, locked.userId));
    }

    const [last] = await tx
      .select({ attempt: max(soraGenerations.attempt) })
      .from(soraGenerations)
      .where(eq(soraGenerations.videoId, locked.id));
    const [generation] = await tx
      .insert(soraGenerations)
      .values({
        videoId: locked.id,
        userId: locked.userId,
        attempt: (last?.attempt ?? 0) + 1,
        status: 'queued',
        createOutcome: 'pending',
        prompt: locked.prompt,
        model: locked.model,
        size: locked.size,
        seconds: locked.seconds,
      })
      .returning();
    if (!generation) throw new Error('Inserting the generation attempt returned no row');

    const [video] = await tx
      .update(videos)
      .set({
        currentGenerationId: generation.id,
        soraGenerationStatus: 'queued',
        soraJobId: null,
        soraProgress: 0,
        soraErrorCode: null,
        soraErrorMessage: null,
        soraStartedAt: null,
        upstreamExpiresAt: null,
        progressChangedAt: sql`now()`,
        pollFailures: 0,
        lastPollError: null,
        lastPolledAt: null,
        nextPollAt: sql`now()`,
        leaseOwner: null,
        leaseUntil: null,
        autoRetryAt: null,
        updatedAt: sql`now()`,
      })
      .where(eq(videos.id, locked.id))
      .returning();
    if (!video) throw new Error('Updating the video for a new attempt returned no row');

    await tx.insert(soraEvents).values({
      videoId: video.id,
      userId: video.userId,
      generationId: generation.id,
      actor: args.actor ?? 'user',
      type: 'generation_requested',
      fromStatus: locked.soraGenerationStatus,
      toStatus: 'queued',
      message: args.message,
      data: { attempt: generation.attempt },
    });
    await notify(tx, VIDEO_CHANGED_CHANNEL, JSON.stringify({ videoId: video.id, userId: video.userId }));
    return { video, generation };
  });
}
