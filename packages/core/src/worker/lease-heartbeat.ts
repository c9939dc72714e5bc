import { renewVideoLeases, type Database } from '@sora-monitor/db';
import type { Logger } from 'pino';

export interface LeaseHeartbeat {
  /** The refresh of this video is over (its lease was released or written away): stop renewing it. */
  done(videoId: string): void;
  /** Stops renewing; resolves once a renewal in flight has finished. */
  stop(): Promise<void>;
}

/**
 * Keeps the leases `owner` holds on `videoIds` alive while the work runs, renewing them every third of the lease. A
 * lease therefore runs out only when its holder stopped working (killed, paused, cut off from the database), not
 * because a claimed generation waited for the upstream budget, a concurrency slot or a long download: so another
 * worker never calls upstream for a job this one is still working on, and a dead worker's jobs are taken over
 * within one lease.
 */
export function startLeaseHeartbeat(
  db: Database,
  owner: string,
  videoIds: Iterable<string>,
  leaseMs: number,
  logger: Logger,
): LeaseHeartbeat {
  const held = new Set(videoIds);
  let inFlight: Promise<unknown> = Promise.resolve();
  const timer = setInterval(
    () => {
      if (held.size === 0) return;
      inFlight = renewVideoLeases(db, { ids: [...held], owner, leaseMs }).catch((error: unknown) => {
        // The database is unreachable: the leases may run out and be taken over; guarded writes keep that safe.
        logger.warn({ err: error, owner }, 'Could not renew leases');
      });
    },
    Math.max(10, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return {
    done: (videoId) => void held.delete(videoId),
    async stop() {
      clearInterval(timer);
      held.clear();
      await inFlight;
    },
  };
}
