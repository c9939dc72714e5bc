import { getVideoForUserWithClock } from '@sora-monitor/db';
import type { Logger } from 'pino';
import { isActive, msUntilRefreshDue } from '../domain';
import type { RecentPolls } from './recent-polls';
import type { Refresher } from './refresh';
import { generationStateFromVideo } from './video-state';

/**
 * Keeps the videos someone is looking at fresh from this process, whatever their client's own rhythm: a status
 * request or an open stream for one video marks it watched, and while it is, the video is refreshed the moment its
 * stored state stops being fresh (`statusFreshnessMs`), through the one refresh path. Across instances the row's
 * freshness and lease decide, and the instance that made the last refresh keeps the rhythm: the others only step in
 * half a period later (it may have stopped). So however many viewers and instances there are, upstream is asked
 * about once per freshness period, as for one viewer on one instance; unwatched videos are left to the poller.
 */
export interface WatchedVideos {
  /**
   * How old a row may be before a status request asks upstream itself. While this process keeps watched videos fresh
   * that refresh does the asking, so a request steps in only when it is a whole period overdue (twice the freshness)
   * and a crowd of viewers asks no more often than one; with keeping fresh off (freshness or linger 0), the freshness.
   */
  readonly statusFreshForMs: number;
  /** Someone asked about this video now: keep it fresh for the linger period. */
  touch(userId: string, videoId: string): void;
  /** A stream watches this video until the returned function is called. */
  hold(userId: string, videoId: string): () => void;
  /** How many videos are watched here now. */
  size(): number;
  close(): void;
}

export interface WatchedVideosOptions {
  refresh: Refresher;
  db: Parameters<typeof getVideoForUserWithClock>[0];
  logger: Logger;
  /** Refresh a watched video once its state is this old (the status freshness; 0, "always ask", turns this off). */
  freshForMs: number;
  /** A video asked about, with no stream open, stays watched this long after the last request. 0 turns this off. */
  lingerMs: number;
  /** This process's polls (any path's): while a row carries the time of one of them, this process keeps the rhythm. */
  recentPolls: RecentPolls;
  now?: () => number;
}

/** Never look again sooner than this. */
const MIN_CHECK_MS = 250;
/** After an error (database away), look again after this long. */
const RETRY_MS = 5_000;

interface Watched {
  userId: string;
  holds: number;
  touchedAt: number;
  timer: NodeJS.Timeout | null;
  checking: boolean;
}

export function createWatchedVideos(options: WatchedVideosOptions): WatchedVideos {
  const { refresh, db, logger, lingerMs } = options;
  const now = options.now ?? Date.now;
  const freshForMs = Math.max(options.freshForMs, MIN_CHECK_MS);
  // Another instance made the last refresh and keeps the rhythm; step in only if it is this late (it may be gone).
  const followerDelayMs = freshForMs / 2;
  // With freshness 0 every status request asks upstream itself; looking in between would only add calls.
  const enabled = lingerMs > 0 && options.freshForMs > 0;
  const watched = new Map<string, Watched>();
  let closed = false;

  const stillWatched = (entry: Watched) => entry.holds > 0 || now() - entry.touchedAt < lingerMs;

  const drop = (videoId: string, entry: Watched) => {
    if (entry.timer) clearTimeout(entry.timer);
    if (watched.get(videoId) === entry) watched.delete(videoId);
  };

  const schedule = (videoId: string, entry: Watched, ms: number) => {
    if (closed || entry.checking) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => void check(videoId, entry), Math.max(ms, MIN_CHECK_MS));
    entry.timer.unref();
  };

  const check = async (videoId: string, entry: Watched) => {
    entry.timer = null;
    if (closed) return;
    if (!stillWatched(entry)) return drop(videoId, entry);
    entry.checking = true;
    let nextMs = freshForMs;
    try {
      const read = await getVideoForUserWithClock(db, entry.userId, videoId);
      if (!read) return drop(videoId, entry);
      // Nothing to ask upstream about: requests stop watching it here; an open stream keeps looking (a retry may start).
      if (!isActive(read.video.soraGenerationStatus)) {
        if (entry.holds === 0) return drop(videoId, entry);
      } else {
        const lastPolledAt = read.video.lastPolledAt?.getTime() ?? null;
        const leading = lastPolledAt === null || options.recentPolls.isOurs(videoId, lastPolledAt);
        const dueAfterMs = leading ? freshForMs : freshForMs + followerDelayMs;
        // A lease (another refresh under way) may run for a minute but usually ends in moments: look again soon.
        const waitMs = msUntilRefreshDue(generationStateFromVideo(read.video), read.dbNowMs, dueAfterMs);
        if (waitMs > 0) nextMs = Math.min(waitMs, dueAfterMs);
        else await refresh(videoId, { actor: 'poller', freshForMs, known: read });
      }
    } catch (error) {
      logger.debug({ err: error, videoId }, 'refreshing a watched video failed; looking again shortly');
      nextMs = RETRY_MS;
    } finally {
      entry.checking = false;
    }
    if (stillWatched(entry)) schedule(videoId, entry, nextMs);
    else drop(videoId, entry);
  };

  const watch = (userId: string, videoId: string): Watched | null => {
    if (closed || !enabled) return null;
    let entry = watched.get(videoId);
    if (!entry) {
      entry = { userId, holds: 0, touchedAt: now(), timer: null, checking: false };
      watched.set(videoId, entry);
      // Look at once: someone just arrived, and the row may be as old as the poller's interval.
      schedule(videoId, entry, 0);
    }
    entry.touchedAt = now();
    return entry;
  };

  return {
    statusFreshForMs: enabled ? 2 * freshForMs : options.freshForMs,
    touch(userId, videoId) {
      watch(userId, videoId);
    },
    hold(userId, videoId) {
      const entry = watch(userId, videoId);
      if (!entry) return () => {};
      entry.holds += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        entry.holds -= 1;
        entry.touchedAt = now();
      };
    },
    size: () => watched.size,
    close() {
      closed = true;
      for (const [videoId, entry] of watched) drop(videoId, entry);
    },
  };
}
