import postgres from 'postgres';
import { assertChannelName } from './channel';
import type { DbLogger, Unlisten } from './types';

interface Subscriber {
  onPayload: (payload: string) => void;
  onReconnect?: () => void;
}

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/**
 * LISTEN on one dedicated connection that outlives server restarts. postgres.js's own sql.listen() re-listens after a
 * dropped connection, but if the server is still down at that moment it silently drops the listener for good; here
 * re-listening is retried with backoff until it succeeds, then every subscriber's onReconnect runs so it can re-read
 * whatever it missed while deaf.
 */
export class PostgresListener {
  private readonly channels = new Map<string, Set<Subscriber>>();
  private readonly sql: postgres.Sql;
  private closed = false;
  /** Bumped on every closed connection, so a re-listen that raced with another drop knows to run again. */
  private drops = 0;
  private relistening: Promise<void> | null = null;

  constructor(
    url: string,
    options: postgres.Options<Record<string, postgres.PostgresType>>,
    private readonly logger: DbLogger | undefined,
  ) {
    const listenerOptions = {
      ...options,
      max: 1,
      // The listening connection must stay open: no idle or lifetime recycling.
      idle_timeout: 0,
      max_lifetime: null,
      fetch_types: false,
      // The hook sql.listen() itself is built on; postgres.js's typings omit it, hence the untyped object.
      onnotify: (channel: string, payload: string) => this.deliver(channel, payload),
      onclose: () => this.connectionDropped(),
    };
    this.sql = postgres(url, listenerOptions);
  }

  async listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<Unlisten> {
    assertChannelName(channel);
    const subscriber: Subscriber = { onPayload, onReconnect };
    let subscribers = this.channels.get(channel);
    if (!subscribers) {
      await this.sql`listen ${this.sql(channel)}`;
      // Another listen() for the same channel may have completed while we awaited.
      subscribers = this.channels.get(channel) ?? new Set();
      this.channels.set(channel, subscribers);
    }
    subscribers.add(subscriber);
    return async () => {
      const current = this.channels.get(channel);
      if (!current?.delete(subscriber) || current.size > 0) return;
      this.channels.delete(channel);
      // If the connection is down, the server has already forgotten the LISTEN.
      await this.sql`unlisten ${this.sql(channel)}`.catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channels.clear();
    await this.sql.end({ timeout: 1 });
  }

  private deliver(channel: string, payload: string): void {
    for (const subscriber of this.channels.get(channel) ?? []) {
      this.guard('onPayload', channel, () => subscriber.onPayload(payload));
    }
  }

  private connectionDropped(): void {
    this.drops += 1;
    if (this.closed || this.channels.size === 0 || this.relistening) return;
    this.relistening = this.relistenUntilDone().finally(() => (this.relistening = null));
  }

  private async relistenUntilDone(): Promise<void> {
    let delay = FIRST_RETRY_MS;
    this.logger?.warn({ channels: [...this.channels.keys()] }, 'LISTEN connection lost; re-listening');
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (this.closed) return;
      const dropsBefore = this.drops;
      try {
        for (const channel of this.channels.keys()) await this.sql`listen ${this.sql(channel)}`;
      } catch (error) {
        this.logger?.warn({ err: error, retryInMs: delay }, 'Re-listening failed; retrying');
        delay = Math.min(delay * 2, MAX_RETRY_MS);
        continue;
      }
      if (this.drops !== dropsBefore) continue; // dropped again mid-way: some LISTENs may be on a dead connection
      this.logger?.info({ channels: [...this.channels.keys()] }, 'LISTEN connection re-established');
      for (const [channel, subscribers] of this.channels) {
        for (const subscriber of subscribers) this.guard('onReconnect', channel, () => subscriber.onReconnect?.());
      }
      return;
    }
  }

  /** A subscriber's exception must not stop delivery to the others (it would surface in postgres.js's socket code). */
  private guard(callback: string, channel: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.logger?.error({ err: error, channel }, `LISTEN ${callback} callback threw`);
    }
  }
}
