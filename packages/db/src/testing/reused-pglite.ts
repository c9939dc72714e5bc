import type { PGlite } from '@electric-sql/pglite';
import { pgliteHandle } from '../open-pglite';
import { startPglite } from '../pglite-start';
import type { DbHandle, DbLogger, Unlisten } from '../types';
import { migratedPgliteTemplate } from './pglite-template';

/*
 * In-memory test databases on PGlite, reused within a test process. Opening one from the migrated template costs
 * about 460 ms of CPU (the 40 MB data directory unpacked, the server started in WASM); emptying one costs about 50 ms,
 * and the PGlite project opens about a hundred. So a closed test database is emptied and handed to the next test.
 *
 * It goes back only as a fresh copy would be: the old handle is revoked first (a call through it fails as on a closed
 * PGlite, so a test's leftover background work cannot write into the next test), its subscriptions end, every table
 * is truncated with identities restarted, and the session is reset (DISCARD ALL). A database whose test changed more
 * than rows (DDL, planner statistics) or that cannot be emptied cleanly (a transaction left open) is closed instead.
 */

const idle: PGlite[] = [];
let publicTables: Promise<string> | null = null;

// Statements after which a database differs from the template in more than its rows.
const CHANGES_MORE_THAN_ROWS =
  /^\s*(create|alter|drop|analy[sz]e|vacuum|cluster|reindex|comment|grant|revoke|security|import)\b/i;

export async function openReusedPglite(options: {
  logger?: DbLogger;
  onQuery?: (sql: string) => void;
}): Promise<DbHandle> {
  const client = idle.pop() ?? (await startPglite({ loadDataDir: await migratedPgliteTemplate() }));
  const lease = revocable(client);
  let likeTemplate = true;
  const subscriptions = new Set<Unlisten>();
  const handle = pgliteHandle(lease.client, {
    logger: options.logger,
    onQuery: (sql) => {
      if (CHANGES_MORE_THAN_ROWS.test(sql)) likeTemplate = false;
      options.onQuery?.(sql);
    },
    close: async () => {
      lease.revoke();
      for (const unlisten of subscriptions) await unlisten().catch(() => undefined);
      if (likeTemplate && (await emptied(client))) idle.push(client);
      else await client.close().catch(() => undefined);
    },
  });
  return {
    ...handle,
    listen: async (channel, onPayload, onReconnect) => {
      const unlisten = await handle.listen(channel, onPayload, onReconnect);
      // Once only: a late second call must not reach the database the next test now has.
      const tracked: Unlisten = async () => {
        if (subscriptions.delete(tracked)) await unlisten();
      };
      subscriptions.add(tracked);
      return tracked;
    },
  };
}

/** Empties the database as the template has it; false if that did not work (the caller closes it). */
async function emptied(client: PGlite): Promise<boolean> {
  if (client.closed) return false;
  try {
    publicTables ??= client
      .query<{ tables: string }>(
        `select string_agg(format('%I.%I', schemaname, tablename), ', ') as tables from pg_tables where schemaname = 'public'`,
      )
      .then((result) => result.rows[0]!.tables);
    await client.exec(`truncate ${await publicTables} restart identity cascade`);
    // Outside any transaction, or it fails: a test that left one open gives its database up.
    await client.exec('discard all');
    return true;
  } catch {
    return false;
  }
}

/** The client as the test sees it, until revoked: then every use fails as on a closed PGlite, and `closed` is true. */
function revocable(client: PGlite): { client: PGlite; revoke(): void } {
  let revoked = false;
  const closedError = async () => {
    throw new Error('PGlite is closed');
  };
  const proxy = new Proxy(client, {
    get(target, property) {
      if (revoked)
        return property === 'closed'
          ? true
          : typeof Reflect.get(target, property, target) === 'function'
            ? closedError
            : undefined;
      const value: unknown = Reflect.get(target, property, target);
      // PGlite keeps its state in private fields, so its methods must run on the client itself, not on the proxy.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    client: proxy,
    revoke: () => {
      revoked = true;
    },
  };
}
