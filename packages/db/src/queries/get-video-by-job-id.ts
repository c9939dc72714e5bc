import { eq } from 'drizzle-orm';
import { videos, type Video } from '../schema';
import type { Database } from '../types';

/** The video whose CURRENT generation is this upstream job (webhooks name jobs, not videos). */
export async function getVideoByJobId(db: Database, jobId: string): Promise<Video | null> {
  const [video] = await db.select().from(videos).where(eq(videos.soraJobId, jobId)).limit(1);
  return video ?? null;
}
