import { sql } from 'drizzle-orm';
import { executeRows } from './rows';
import type { Database, DbLogger } from './types';

/**
 * The gap `idle_in_transaction_session_timeout` leaves. A process paused (SIGSTOP, a frozen VM) between two messages
 * of one statement, typically after postgres.js sent Parse + Describe for a statement new on that connection and
 * before it sent Bind + Sync, leaves its session `active` and waiting on the client (`ClientRead`), not idle: the
 * server never ends it, and its transaction's row locks stay. `SKIP LOCKED` claims then pass those generations over
 * for as long as the process stays paused. PostgreSQL 17's `transaction_timeout` covers this; before it, a peer does.
 */
export interface StalledSession {
  pid: number;
  /** How long it has waited on its client mid-statement (ms). */
  stalledMs: number;
  /** The statement it stopped in, shortened. */
  query: string;
}

/**
 * Ends the sessions of this application (same database, role and `application_name` as `db`'s own) that have waited
 * on their client in the middle of a statement, inside a transaction, for longer than `stalledForMs`. A healthy client
 * sends the rest of a statement within milliseconds; so the threshold is the idle-in-transaction timeout's.
 */
export async function endStalledSessions(db: Database, stalledForMs: number): Promise<StalledSession[]> {
  return executeRows<{ pid: number; stalledMs: number; query: string }>(
    db,
    // Materialized: the filter runs first, and only the sessions it keeps reach pg_terminate_backend.
    sql`with stalled as materialized (
          select pid, (extract(epoch from now() - state_change) * 1000)::int as "stalledMs", left(query, 200) as query
          from pg_stat_activity
          where datname = current_database() and usename = current_user
            and application_name = current_setting('application_name') and pid <> pg_backend_pid()
            and backend_type = 'client backend' and xact_start is not null
            and state = 'active' and wait_event_type = 'Client' and wait_event = 'ClientRead'
            and state_change < now() - make_interval(secs => ${stalledForMs / 1000}))
        select pid, "stalledMs", query from (select *, pg_terminate_backend(pid) as ended from stalled) s where ended`,
  );
}

export interface StalledSessionReaper {
  stop(): void;
}

/** Looks for stalled sessions every `everyMs` (jittered ±20%), logging each one it ends. */
export function startStalledSessionReaper(
  db: Database,
  options: { stalledForMs: number; everyMs: number; logger?: DbLogger },
): StalledSessionReaper {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failing = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void sweep(), options.everyMs * (0.8 + Math.random() * 0.4));
    timer.unref();
  };
  async function sweep() {
    try {
      for (const session of await endStalledSessions(db, options.stalledForMs)) {
        options.logger?.warn(
          { pid: session.pid, stalledMs: session.stalledMs, query: session.query },
          'Ended a database session stalled mid-statement inside a transaction (its process stopped?): its row locks are released',
        );
      }
      failing = false;
    } catch (error) {
      if (stopped) return; // the handle closed under this sweep
      // The database being down is reported elsewhere; once per outage is enough here.
      if (!failing)
        options.logger?.warn(
          { err: error },
          'Could not look for stalled database sessions; trying again later',
        );
      failing = true;
    }
    schedule();
  }
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
