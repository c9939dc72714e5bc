import { describeClientError, type SoraMonitorClient, type StatusView } from '@sora-monitor/core/client';

/** Where updates about one generation come from: a live stream, and a status request for polling. */
export interface GenerationFeed {
  status(): Promise<StatusView>;
  /** Starts the live stream; returns a function that stops it. */
  subscribe(handlers: StreamHandlers): () => void;
}

export interface StreamHandlers {
  onData(view: StatusView): void;
  /** The stream is connected and delivering. */
  onConnected(): void;
  /** The stream is down (it may come back on its own). */
  onTrouble(error: unknown): void;
  /** The stream ended for good. */
  onError(error: unknown): void;
}

export interface FollowOptions {
  onUpdate(view: StatusView, mode: 'stream' | 'polling'): void;
  signal: AbortSignal;
  /** Polling interval while the stream is down. */
  pollMs?: number;
  /**
   * While the stream is healthy, a status request this often asks the server to refresh from upstream (as the web
   * app's refetch does); the change then arrives on the stream. The server answers from its cache when fresh.
   */
  refreshMs?: number;
  /** Give up when the server has been unreachable this long after the watch began. */
  giveUpMs?: number;
}

/**
 * A final state: completed, or failed with no automatic retry planned. A failure the server will retry by itself is
 * not the end, so scripts never treat a job that later succeeds as failed.
 */
export function isFinal(view: Pick<StatusView, 'status' | 'autoRetryAt'>): boolean {
  return view.status === 'completed' || (view.status === 'failed' && view.autoRetryAt === null);
}

/** Errors no amount of retrying fixes: stop at once. */
const FATAL = new Set(['unauthorized', 'forbidden', 'not_found', 'bad_input', 'not_sora_monitor', 'aborted']);

/**
 * Follows one generation until it is completed or failed for good (through automatic retries), and resolves with
 * that final state. The live stream
 * drives the updates; if the stream fails, sora.status is polled (every 2 s by default) until it recovers. Views
 * arriving out of order (a poll answered after a newer stream event) are dropped by their `updatedAt`.
 */
export function followGeneration(feed: GenerationFeed, options: FollowOptions): Promise<StatusView> {
  const pollMs = options.pollMs ?? 2_000;
  const refreshMs = options.refreshMs ?? 5_000;
  const giveUpMs = options.giveUpMs ?? 60_000;

  return new Promise<StatusView>((resolve, reject) => {
    let latest: StatusView | null = null;
    let stream: 'connecting' | 'live' | 'down' = 'connecting';
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let failingSince: number | null = null;
    let inFlight = false;
    let unsubscribe = () => {};

    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      options.signal.removeEventListener('abort', onAbort);
      settle();
    };
    const fail = (error: unknown) => finish(() => reject(error));
    const onAbort = () => fail(options.signal.reason);

    const accept = (view: StatusView, mode: 'stream' | 'polling') => {
      if (done) return;
      if (latest && Date.parse(view.updatedAt) < Date.parse(latest.updatedAt)) return;
      latest = view;
      options.onUpdate(view, mode);
      if (isFinal(view)) finish(() => resolve(view));
    };

    const schedule = (ms: number) => {
      clearTimeout(timer);
      if (!done && !inFlight) timer = setTimeout(() => void poll(), ms);
    };

    const poll = async () => {
      inFlight = true;
      try {
        const view = await feed.status();
        failingSince = null;
        accept(view, stream === 'down' ? 'polling' : 'stream');
      } catch (error) {
        // Before the first answer there is nothing to show: fail fast (wrong token, unknown id, server down).
        if (latest === null || FATAL.has(describeClientError(error).kind)) return fail(error);
        failingSince ??= Date.now();
        if (Date.now() - failingSince >= giveUpMs) return fail(error);
      } finally {
        inFlight = false;
      }
      schedule(stream === 'live' ? refreshMs : pollMs);
    };
    // The stream went down: poll soon rather than at the next (slower) refresh.
    const streamLost = () => {
      if (stream === 'down') return;
      stream = 'down';
      schedule(pollMs);
    };

    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    unsubscribe = feed.subscribe({
      onData: (view) => accept(view, 'stream'),
      onConnected: () => {
        stream = 'live';
      },
      onTrouble: streamLost,
      onError: (error) => {
        if (FATAL.has(describeClientError(error).kind)) fail(error);
        else streamLost();
      },
    });
    void poll();
  });
}

/** The feed for one video through the typed client: `sora.onUpdate` for the stream, `sora.status` for polls. */
export function clientFeed(client: SoraMonitorClient, videoId: string): GenerationFeed {
  return {
    status: () => client.sora.status.query({ videoId }),
    subscribe(handlers) {
      let stopped = false;
      const subscription = client.sora.onUpdate.subscribe(
        { videoId },
        {
          onData: ({ data }) => handlers.onData(data.video.generation),
          onConnectionStateChange: (state) => {
            if (state.state === 'pending') handlers.onConnected();
            else if (state.state === 'connecting' && state.error) handlers.onTrouble(state.error);
          },
          onError: (error) => handlers.onError(error),
          onComplete: () => {
            if (!stopped) handlers.onError(new Error('The live update stream ended.'));
          },
        },
      );
      return () => {
        stopped = true;
        subscription.unsubscribe();
      };
    },
  };
}
