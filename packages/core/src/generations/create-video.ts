import { Readable } from 'node:stream';
import { insertEvent, insertVideo, notify, VIDEO_CHANGED_CHANNEL, type Database, type NewVideo, type Video } from '@sora-monitor/db';
import { checkReferenceImage, type VideoOperation } from '../domain';
import { referenceImageKey } from './create-params';
import type { GenerationDeps } from './deps';
import { getVideoById } from './video-queries';

/** The `created` audit event's message, by how the video is made. */
export const CREATED_MESSAGE: Record<VideoOperation, string> = {
  create: 'Video created.',
  remix: 'Video created as a remix of another video.',
  edit: 'Video created as an edit of another video.',
  extend: 'Video created as an extension of another video.',
};

/** Inserts a user's new video (not started) with its `created` audit event, and tells subscribers, in one transaction. */
export async function createVideoRecord(db: Database, values: NewVideo & { userId: string }): Promise<Video> {
  return db.transaction(async (tx) => {
    const created = await insertVideo(tx, values);
    await insertEvent(tx, {
      videoId: created.id,
      userId: values.userId,
      actor: 'user',
      type: 'created',
      toStatus: 'not_started',
      message: CREATED_MESSAGE[created.operation as VideoOperation] ?? CREATED_MESSAGE.create,
      data: created.sourceVideoId ? { operation: created.operation, sourceVideoId: created.sourceVideoId } : null,
    });
    // Like every other change: subscribers (other tabs, the user-wide stream) hear about the new video.
    await notify(tx, VIDEO_CHANGED_CHANNEL, JSON.stringify({ videoId: created.id, userId: values.userId }));
    return created;
  });
}

/**
 * Stores a new video's reference image (base64, checked first: type by magic bytes, size, dimensions against `size`)
 * under the video's folder, then runs `create` with its key (null without an image). When `create` fails and no
 * video row was written (bad input, the spend cap, the rate limit), the stored image is removed again.
 */
export async function withReferenceImage<T>(
  deps: Pick<GenerationDeps, 'db' | 'blobs'>,
  request: { videoId: string; image: string | undefined; size: string },
  create: (referenceImageKey: string | null) => Promise<T>,
): Promise<T> {
  if (request.image === undefined) return create(null);
  const bytes = Buffer.from(request.image, 'base64');
  const key = referenceImageKey(request.videoId, checkReferenceImage(bytes, request.size).extension);
  await deps.blobs.put(key, Readable.from([bytes]));
  try {
    return await create(key);
  } catch (error) {
    if (!(await getVideoById(deps.db, request.videoId))) await deps.blobs.deletePrefix(`videos/${request.videoId}/`);
    throw error;
  }
}
