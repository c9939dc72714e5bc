import { getVideoForUser, listEventsForUserSince, type Database, type Event, type Video } from '@sora-monitor/db';
import { createSingleFlight } from '../generations/single-flight';

/** One page of a user's changes after a cursor: the events, and each event's video as it is now. */
export interface ChangePage {
  events: Event[];
  /** A later event exists but its transaction is still open: look again shortly. */
  heldBack: boolean;
  /** Each event's video (null once deleted), read once per page. */
  videos: Map<string, Video | null>;
}

/** `ringCount`: the rings the user's subscribers have had so far; only reads begun since the same ring are shared. */
export type ChangeReader = (userId: string, afterEventId: number, videoId: string | undefined, ringCount: number) => Promise<ChangePage>;

/**
 * Reads a user's changes once per process for every subscriber that asks the same question at the same time: a change
 * rings all of that user's open streams at once, and those at the same cursor (every tab, every watcher of one video)
 * share one events read and one read per video instead of one each. Only callers woken by the same ring share: a read
 * begun before a later change was committed cannot answer for it.
 */
export function createChangeReader(db: Database, pageSize: number): ChangeReader {
  const singleFlight = createSingleFlight<ChangePage>();
  return (userId, afterEventId, videoId, ringCount) =>
    singleFlight(`${userId}:${videoId ?? '*'}:${afterEventId}:${ringCount}`, async () => {
      const { events, heldBack } = await listEventsForUserSince(db, userId, afterEventId, { videoId, limit: pageSize });
      const videos = new Map<string, Video | null>();
      for (const event of events) {
        if (!videos.has(event.videoId)) videos.set(event.videoId, await getVideoForUser(db, userId, event.videoId));
      }
      return { events, heldBack, videos };
    });
}
