import { VIDEO_CHANGED_CHANNEL, type DbHandle } from '@sora-monitor/db';
import type { Logger } from 'pino';
import { createChangeReader, type ChangePage } from './read-changes';

/** Events a subscription reads per page. */
export const CHANGE_PAGE_SIZE = 100;
/** A page held back by an open transaction is read again this soon (that transaction's end sends no hint). */
const HELD_BACK_RECHECK_MS = 250;

/**
 * A waiting stream that can take its new changes without being resumed (its response can be written to directly): a
 * change then costs it one write, not a wake-up, a read of its own and a message built for it alone.
 */
export interface DirectDelivery {
  videoId: string | undefined;
  /** The last event the stream has (the page it is handed starts after it). */
  cursor(): number;
  /** Hands it a page read after its cursor. False: resume it instead (a full page, a client reading slowly). */
  deliver(page: ChangePage): boolean;
}

/** A subscriber's doorbell: rings when something of its user's may have changed. */
export interface ChangeSignal {
  /**
   * Resolves at the next change hint (or at once if one arrived since the last wait), when `signal` aborts, or after
   * `timeoutMs` when given (for data no hint will announce). With `direct`, a change hint does not resolve it: the
   * hub reads the page once for every stream of the user at the same cursor and hands it over (deliver), and resolves
   * only when deliver says so or the read fails.
   */
  wait(signal?: AbortSignal, timeoutMs?: number, direct?: DirectDelivery): Promise<void>;
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

interface Subscriber {
  /** Set while it waits with direct delivery. */
  direct: DirectDelivery | null;
  wake(): void;
}

/**
 * One LISTEN per process on the change channel, fanned out to this process's subscribers by user. A notification is
 * only a hint carrying ids: subscribers re-read the events table from their cursor, so a lost or merged hint (or a
 * reconnect, which rings everyone) can never lose an update. The re-reads are shared (createChangeReader); streams
 * waiting with direct delivery are not even woken: the hub hands each the shared page.
 */
export function createVideoChangeHub(handle: Pick<DbHandle, 'listen' | 'db'>, logger: Logger): VideoChangeHub {
  const byUser = new Map<string, Set<Subscriber>>();
  const recheckTimers = new Map<string, NodeJS.Timeout>();
  let unlisten: (() => Promise<void>) | null = null;
  const readPage = createChangeReader(handle.db, CHANGE_PAGE_SIZE);

  /**
   * Rings so far per user. A read is shared only among callers at the same count: one woken by a later ring must not
   * join a read that began before the change it was woken for was committed (it would miss that change, and wait).
   */
  const rings = new Map<string, number>();
  const ring = (userId: string) => {
    const subscribers = byUser.get(userId);
    if (!subscribers) return;
    const ringCount = (rings.get(userId) ?? 0) + 1;
    rings.set(userId, ringCount);
    // Streams waiting with direct delivery, by what they would read (video, then cursor): one read per group.
    const groups = new Map<string | undefined, Map<number, Subscriber[]>>();
    subscribers.forEach((subscriber) => {
      if (!subscriber.direct) return subscriber.wake();
      const byCursor = groups.get(subscriber.direct.videoId) ?? new Map<number, Subscriber[]>();
      groups.set(subscriber.direct.videoId, byCursor);
      const cursor = subscriber.direct.cursor();
      const group = byCursor.get(cursor);
      if (group) group.push(subscriber);
      else byCursor.set(cursor, [subscriber]);
    });
    groups.forEach((byCursor) => byCursor.forEach((group) => deliverDirectly(userId, ringCount, group)));
  };
  const ringAll = () => byUser.forEach((_, userId) => ring(userId));

  const deliverDirectly = (userId: string, ringCount: number, group: Subscriber[]) => {
    const parked = group.map((subscriber) => subscriber.direct!);
    const { videoId } = parked[0]!;
    const cursor = parked[0]!.cursor();
    const handOver = (page: ChangePage) => {
      if (page.heldBack) ringSoon(userId);
      group.forEach((subscriber, index) => {
        const direct = parked[index]!;
        // Resumed meanwhile (a timeout, an abort): it has read for itself since this ring, sharing this very read.
        if (subscriber.direct !== direct) return;
        let keepWaiting = false;
        try {
          // Moved on by another ring's page while this one was read: let it read from where it is.
          keepWaiting = direct.cursor() === cursor && direct.deliver(page);
        } finally {
          if (!keepWaiting) subscriber.wake();
        }
      });
    };
    // A failed read (the database away, or worse): the streams handle it themselves, as after any ring.
    void readPage(userId, cursor, videoId, ringCount)
      .then(handOver)
      .catch(() => group.forEach((subscriber) => subscriber.wake()));
  };

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
      byUser.forEach((subscribers) => subscribers.forEach((subscriber) => subscriber.wake()));
      if (stopListening) await stopListening();
    },

    subscribe(userId) {
      let pending = false;
      let resolveWait: (() => void) | null = null;
      const subscriber: Subscriber = {
        direct: null,
        wake() {
          pending = true;
          resolveWait?.();
        },
      };
      // A stream waits with the same signal every time: listened to once, not once per wait (a change wakes them all).
      let listenedSignal: AbortSignal | undefined;
      const endWait = () => resolveWait?.();
      const subscribers = byUser.get(userId) ?? new Set();
      subscribers.add(subscriber);
      byUser.set(userId, subscribers);

      return {
        wait(signal, timeoutMs, direct) {
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
              subscriber.direct = null;
              if (timer) clearTimeout(timer);
              resolve();
            };
            resolveWait = done;
            subscriber.direct = direct ?? null;
          });
        },
        close() {
          listenedSignal?.removeEventListener('abort', endWait);
          subscriber.direct = null;
          subscribers.delete(subscriber);
          if (subscribers.size === 0) {
            byUser.delete(userId);
            rings.delete(userId);
          }
          resolveWait?.();
        },
      };
    },

    subscriberCount() {
      let count = 0;
      byUser.forEach((subscribers) => (count += subscribers.size));
      return count;
    },
  };
}
