import { soraEvents, soraGenerations, videos, type Database, type Generation, type Video } from '@sora-monitor/db';
import { and, eq, gte, isNotNull, max } from 'drizzle-orm';

/** Internal, unscoped read for background work; user-facing code uses getVideoForUser. */
export async function getVideoById(db: Database, videoId: string): Promise<Video | null> {
  const [video] = await db.select().from(videos).where(eq(videos.id, videoId)).limit(1);
  return video ?? null;
}

export async function getGenerationById(db: Database, generationId: string): Promise<Generation | null> {
  const [generation] = await db.select().from(soraGenerations).where(eq(soraGenerations.id, generationId)).limit(1);
  return generation ?? null;
}

/** The newest event id the user (or one of their videos) has: where a fresh subscription starts. */
export async function latestEventId(db: Database, userId: string, videoId?: string): Promise<number> {
  const [row] = await db
    .select({ id: max(soraEvents.id) })
    .from(soraEvents)
    .where(and(eq(soraEvents.userId, userId), videoId ? eq(soraEvents.videoId, videoId) : undefined));
  return row?.id ?? 0;
}

/** Upstream job ids already tied to an attempt requested since `since`: a lost create must never claim one of them. */
export async function jobIdsTakenSince(db: Database, since: Date): Promise<Set<string>> {
  const rows = await db
    .select({ jobId: soraGenerations.jobId })
    .from(soraGenerations)
    .where(and(isNotNull(soraGenerations.jobId), gte(soraGenerations.requestedAt, since)));
  return new Set(rows.flatMap((row) => (row.jobId ? [row.jobId] : [])));
}
