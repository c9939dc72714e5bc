import { inArray } from 'drizzle-orm';
import { videos } from '../schema';
import type { Database } from '../types';
import { isUuid } from './uuid';

/**
 * Which of `keys` a video row still points to (as its video, its thumbnail or its input reference image); the rest are leftovers. Blob keys
 * are `videos/<video id>/…`, so the rows are found by primary key.
 */
export async function findReferencedBlobKeys(db: Database, keys: string[]): Promise<Set<string>> {
  const videoIds = [...new Set(keys.map((key) => key.split('/')[1] ?? '').filter(isUuid))];
  if (videoIds.length === 0) return new Set();
  const rows = await db
    .select({ blobKey: videos.blobKey, thumbnailBlobKey: videos.thumbnailBlobKey, referenceImageKey: videos.referenceImageKey })
    .from(videos)
    .where(inArray(videos.id, videoIds));
  const wanted = new Set(keys);
  return new Set(rows.flatMap((row) => [row.blobKey, row.thumbnailBlobKey, row.referenceImageKey]).filter((key): key is string => key !== null && wanted.has(key)));
}
