import { VIDEO_CHANGED_CHANNEL, type DbHandle } from '@sora-monitor/db';
import type { Logger } from 'pino';
import { createChangeReader, type ChangePage } from './read-changes';

/** Events a subscription reads per page. */
export const CHANGE_PAGE_SIZE = 100;
/** A page held back by an open transaction is read again this soon (that transaction's end sends no hint). */
const HELD_BACK_RECHECK_MS = 250;

/** A subscriber's doorbell: rings when something of its user's may have changed. */
export interface ChangeSignal {
  /**
   * Resolves at the next change hint (or at once if one arrived since the last wait), when `signal` aborts, or after
   * `timeoutMs` when given (for data no hint will announce).
   */
  wait(signal?: AbortSignal, timeoutMs?: number): Promise<void>;
  close(): void;
}

export interface VideoChangeHub {
  /** Call BEFORE reading the backlog, so a change between the read and the first wait is not missed. */
  subscribe(userId: string): ChangeSignal;
  /**
   * A page of the user's changes after a cursor, read once for every subscriber at that cursor. A page held back by
   * an open transaction rings the user's subscribers again shortly, once for all of them.
   */
  read(userId: string, afterEventId: number, videoId: string | undefined): Promise<ChangePage>;
  start(): Promise<void>;
  stop(): Promise<void>;
  subscriberCount(): number;
}

/**
 * One LISTEN per process on the change channel, fanned out to this process's subscribers by user. A notification is
 * only a hint carrying ids: subscribers re-read the events table from their cursor, so a lost or merged hint (or a
 * reconnect, which rings everyone) can never lose an update. The re-reads are shared (createChangeReader).
 */
export function createVideoChangeHub(handle: Pick<DbHandle, 'listen' | 'db'>, logger: Logger): VideoChangeHub {
  const byUser = new Map<string, Set<() => void>>();
  const recheckTimers = new Map<string, NodeJS.Timeout>();
  let unlisten: (() => Promise<void>) | null = null;
  const readPage = createChangeReader(handle.db, CHANGE_PAGE_SIZE);

  /**
   * Rings so far per user. A read is shared only among callers at the same count: one woken by a later ring must not
   * join a read that began before the change it was woken for was committed (it would miss that change, and wait).
   */
  const rings = new Map<string, number>();
  const ring = (userId: string) => {
    const wakers = byUser.get(userId);
    if (!wakers) return;
    rings.set(userId, (rings.get(userId) ?? 0) + 1);
    wakers.forEach((wake) => wake());
  };
  const ringAll = () => byUser.forEach((_, userId) => ring(userId));

  const ringSoon = (userId: string) => {
    if (recheckTimers.has(userId)) return;
    const timer = setTimeout(() => {
      recheckTimers.delete(userId);
      ring(userId);
    }, HELD_BACK_RECHECK_MS);
    timer.unref();
    recheckTimers.set(userId, timer);
  };

  return {
    async read(userId, afterEventId, videoId) {
      const page = await readPage(userId, afterEventId, videoId, rings.get(userId) ?? 0);
      if (page.heldBack) ringSoon(userId);
      return page;
    },

    async start() {
      if (unlisten) return;
      unlisten = await handle.listen(
        VIDEO_CHANGED_CHANNEL,
        (payload) => {
          try {
            const { userId } = JSON.parse(payload) as { userId?: unknown };
            if (typeof userId === 'string') ring(userId);
          } catch {
            logger.warn({ payload }, 'Ignored a malformed change notification');
          }
        },
        () => {
          logger.info('Change notifications reconnected; subscribers re-read what they follow');
          ringAll();
        },
      );
    },

    async stop() {
      const stopListening = unlisten;
      unlisten = null;
      recheckTimers.forEach((timer) => clearTimeout(timer));
      recheckTimers.clear();
      ringAll();
      if (stopListening) await stopListening();
    },

    subscribe(userId) {
      let pending = false;
      let resolveWait: (() => void) | null = null;
      const wake = () => {
        pending = true;
        resolveWait?.();
      };
      // A stream waits with the same signal every time: listened to once, not once per wait (a change wakes them all).
      let listenedSignal: AbortSignal | undefined;
      const endWait = () => resolveWait?.();
      const wakers = byUser.get(userId) ?? new Set();
      wakers.add(wake);
      byUser.set(userId, wakers);

      return {
        wait(signal, timeoutMs) {
          if (pending || signal?.aborted) {
            pending = false;
            return Promise.resolve();
          }
          if (signal && signal !== listenedSignal) {
            listenedSignal?.removeEventListener('abort', endWait);
            listenedSignal = signal;
            signal.addEventListener('abort', endWait, { once: true });
          }
          return new Promise<void>((resolve) => {
            const timer = timeoutMs === undefined ? null : setTimeout(() => done(), timeoutMs);
            const done = () => {
              pending = false;
              resolveWait = null;
              if (timer) clearTimeout(timer);
              resolve();
            };
            resolveWait = done;
          });
        },
        close() {
          listenedSignal?.removeEventListener('abort', endWait);
          wakers.delete(wake);
          if (wakers.size === 0) {
            byUser.delete(userId);
            rings.delete(userId);
          }
          resolveWait?.();
        },
      };
    },

    subscriberCount() {
      let count = 0;
      byUser.forEach((wakers) => (count += wakers.size));
      return count;
    },
  };
}
