import { sql, type SQL } from 'drizzle-orm';
import { soraEvents, soraGenerations, videos } from '../schema';
import type { Database } from '../types';

/** When a seeded attempt was requested: now, or a local wall-clock time some days back in the seed's time zone. */
export type SeedRequestedAt = { now: true } | { daysAgo: number; localTime: `${number}:${number}` };

export interface SeedAttempt {
  requested: SeedRequestedAt;
  model: string;
  size: string;
  seconds: number;
  status: 'queued' | 'in_progress' | 'completed' | 'failed';
  errorCode?: string;
  /** Default: confirmed, or rejected for a refused create (`http_…`). */
  createOutcome?: 'pending' | 'confirmed' | 'unknown' | 'rejected';
  /** Default: 100 when completed, else 0. */
  progress?: number;
  /** Completed attempts: seconds from request to the completion event (ready). */
  readySeconds?: number;
}

export interface SeededAttempt extends SeedAttempt {
  videoId: string;
  requestedAt: Date;
}

function requestedAtSql(at: SeedRequestedAt, timeZone: string): SQL {
  if ('now' in at) return sql`now()`;
  return sql`(((now() at time zone ${timeZone})::date - ${at.daysAgo}::int) + ${at.localTime}::time) at time zone ${timeZone}`;
}

/**
 * Writes finished history for one user as the product records it: a video per attempt, the attempt's row and,
 * for a completed one, its completion event at request + `readySeconds`. For tests and e2e only: the real product
 * writes these through commitVideoChange.
 */
export async function seedAttemptHistory(
  db: Database,
  args: { userId: string; timeZone: string; attempts: readonly SeedAttempt[] },
): Promise<SeededAttempt[]> {
  const seeded: SeededAttempt[] = [];
  for (const [index, attempt] of args.attempts.entries()) {
    const requestedAt = requestedAtSql(attempt.requested, args.timeZone);
    const completed = attempt.status === 'completed';
    const prompt = `Seeded ${attempt.model} #${index + 1}`;
    const [video] = await db
      .insert(videos)
      .values({
        userId: args.userId,
        title: prompt,
        prompt,
        model: attempt.model,
        size: attempt.size,
        seconds: attempt.seconds,
        soraGenerationStatus: attempt.status,
        soraErrorCode: attempt.errorCode ?? null,
        createdAt: requestedAt,
      })
      .returning({ id: videos.id, createdAt: videos.createdAt });
    const [generation] = await db
      .insert(soraGenerations)
      .values({
        videoId: video!.id,
        userId: args.userId,
        attempt: 1,
        status: attempt.status,
        createOutcome: attempt.createOutcome ?? (attempt.errorCode?.startsWith('http_') ? 'rejected' : 'confirmed'),
        prompt,
        model: attempt.model,
        size: attempt.size,
        seconds: attempt.seconds,
        progress: attempt.progress ?? (completed ? 100 : 0),
        errorCode: attempt.errorCode ?? null,
        requestedAt: video!.createdAt,
      })
      .returning({ id: soraGenerations.id });
    await db.update(videos).set({ currentGenerationId: generation!.id }).where(sql`${videos.id} = ${video!.id}`);
    if (completed) {
      await db.insert(soraEvents).values({
        videoId: video!.id,
        generationId: generation!.id,
        userId: args.userId,
        actor: 'poller',
        type: 'status_changed',
        fromStatus: 'in_progress',
        toStatus: 'completed',
        message: 'Video is ready',
        createdAt: sql`${video!.createdAt.toISOString()}::timestamptz + make_interval(secs => ${attempt.readySeconds ?? 60})`,
      });
    }
    seeded.push({ ...attempt, videoId: video!.id, requestedAt: video!.createdAt });
  }
  return seeded;
}
