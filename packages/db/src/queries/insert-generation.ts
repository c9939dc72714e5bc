import { soraGenerations, type Generation, type NewGeneration } from '../schema';
import type { Database } from '../types';

/** Records a generation attempt. (video_id, attempt) and a non-null job_id are unique: a duplicate throws. */
export async function insertGeneration(db: Database, values: NewGeneration): Promise<Generation> {
  const [generation] = await db.insert(soraGenerations).values(values).returning();
  if (!generation) throw new Error('INSERT INTO sora_generations … RETURNING returned no row');
  return generation;
}
