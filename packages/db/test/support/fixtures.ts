import { randomUUID } from 'node:crypto';
import { insertVideo } from '../../src/queries';
import { user, type NewGeneration, type NewVideo, type Video } from '../../src/schema';
import type { Database } from '../../src/types';

export async function createUser(db: Database, id: string = randomUUID()): Promise<string> {
  await db.insert(user).values({ id, name: `User ${id}`, email: `${id}@example.test` });
  return id;
}

export function createVideo(db: Database, userId: string, overrides: Partial<NewVideo> = {}): Promise<Video> {
  return insertVideo(db, {
    userId,
    title: 'A cat on a skateboard',
    prompt: 'a cat riding a skateboard at sunset',
    model: 'sora-2',
    size: '1280x720',
    seconds: 4,
    ...overrides,
  });
}

/** Attempt `number` of a video as it is first recorded (queued, with the video's prompt and settings), to insert. */
export function newAttempt(video: Video, number = 1, overrides: Partial<NewGeneration> = {}): NewGeneration {
  const { prompt, model, size, seconds } = video;
  return { videoId: video.id, userId: video.userId, attempt: number, status: 'queued', prompt, model, size, seconds, ...overrides };
}
