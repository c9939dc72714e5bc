import { videos, type NewVideo, type Video } from '../schema';
import type { Database } from '../types';

export async function insertVideo(db: Database, values: NewVideo): Promise<Video> {
  const [video] = await db.insert(videos).values(values).returning();
  // INSERT … RETURNING yields exactly one row for one value (or throws): this only narrows the type.
  if (!video) throw new Error('INSERT INTO videos … RETURNING returned no row');
  return video;
}
