import { VIDEO_CHANGED_CHANNEL, type DbHandle } from '@sora-monitor/db';
import type { Logger } from 'pino';

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
  start(): Promise<void>;
  stop(): Promise<void>;
  subscriberCount(): number;
}

/**
 * One LISTEN per process on the change channel, fanned out to this process's subscribers by user. A notification is
 * only a hint carrying ids: subscribers re-read the events table from their cursor, so a lost or merged hint (or a
 * reconnect, which rings everyone) can never lose an update.
 */
export function createVideoChangeHub(handle: Pick<DbHandle, 'listen'>, logger: Logger): VideoChangeHub {
  const byUser = new Map<string, Set<() => void>>();
  let unlisten: (() => Promise<void>) | null = null;

  const ring = (userId: string) => byUser.get(userId)?.forEach((wake) => wake());
  const ringAll = () => byUser.forEach((wakers) => wakers.forEach((wake) => wake()));

  return {
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
      const wakers = byUser.get(userId) ?? new Set();
      wakers.add(wake);
      byUser.set(userId, wakers);

      return {
        wait(signal, timeoutMs) {
          if (pending || signal?.aborted) {
            pending = false;
            return Promise.resolve();
          }
          return new Promise<void>((resolve) => {
            const timer = timeoutMs === undefined ? null : setTimeout(() => done(), timeoutMs);
            const done = () => {
              pending = false;
              resolveWait = null;
              if (timer) clearTimeout(timer);
              signal?.removeEventListener('abort', done);
              resolve();
            };
            resolveWait = done;
            signal?.addEventListener('abort', done, { once: true });
          });
        },
        close() {
          wakers.delete(wake);
          if (wakers.size === 0) byUser.delete(userId);
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
