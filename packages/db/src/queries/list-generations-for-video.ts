import { desc, eq } from 'drizzle-orm';
import { soraGenerations, type Generation } from '../schema';
import type { Database } from '../types';
import { isUuid } from './uuid';

/** Every attempt of a video, latest first. Not scoped by user: check ownership of the video first. */
export async function listGenerationsForVideo(db: Database, videoId: string): Promise<Generation[]> {
  if (!isUuid(videoId)) return [];
  return db.select().from(soraGenerations).where(eq(soraGenerations.videoId, videoId)).orderBy(desc(soraGenerations.attempt));
}
