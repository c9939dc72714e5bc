import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { SimulatorLogger } from './options';
import type { VideoWebhookEvent, VideoWebhookEventType } from './wire';

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Makes a Standard Webhooks signer for a secret, keyed exactly as the openai SDK's `webhooks.unwrap` verifies: a
 * `whsec_` secret is the base64 of the key; any other string is used as UTF-8 bytes.
 */
export type WebhookSigner = (id: string, timestamp: Date, body: string) => WebhookHeaders;

export function createSigner(secret: string): WebhookSigner {
  if (secret.length === 0) throw new Error('The webhook secret is empty; expected whsec_ followed by base64');
  let webhook: Webhook;
  try {
    webhook = secret.startsWith('whsec_')
      ? new Webhook(secret)
      : new Webhook(Buffer.from(secret, 'utf8'), { format: 'raw' });
  } catch (error) {
    throw new Error(`The webhook secret is not valid: after 'whsec_' it must be base64 (${String(error)})`, {
      cause: error,
    });
  }
  return (id, timestamp, body) => ({
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': webhook.sign(id, timestamp, body),
  });
}

type ActiveTarget = WebhookTarget & { sign: WebhookSigner };

export interface WebhookDispatcherOptions {
  logger: SimulatorLogger;
  now: () => number;
  /** Waits before each retry; its length is the number of retries. */
  retryDelaysMs: readonly number[];
  /** Per attempt: a receiver that hangs must not hold a delivery forever. */
  attemptTimeoutMs?: number;
}

/**
 * Delivers `video.completed` / `video.failed` events, signed, to the configured URL. A failed attempt (network error
 * or non-2xx) is logged and retried after each of `retryDelaysMs`; the webhook id stays the same across retries so
 * a receiver can de-duplicate, while timestamp and signature are fresh each time.
 */
export class WebhookDispatcher {
  #target: ActiveTarget | null = null;
  readonly #closing = new AbortController();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: WebhookDispatcherOptions) {}

  setTarget(target: WebhookTarget | null): void {
    if (target === null) {
      this.#target = null;
      return;
    }
    try {
      new URL(target.url);
    } catch {
      throw new Error(`The webhook URL '${target.url}' is not a valid absolute URL`);
    }
    this.#target = { ...target, sign: createSigner(target.secret) };
  }

  /** Queues the event for delivery to the current target; a no-op when no webhook is configured. */
  send(type: VideoWebhookEventType, videoId: string): void {
    const target = this.#target;
    if (!target || this.#closing.signal.aborted) return;
    const event: VideoWebhookEvent = {
      id: `evt_${randomBytes(16).toString('hex')}`,
      object: 'event',
      type,
      created_at: Math.floor(this.options.now() / 1000),
      data: { id: videoId },
    };
    void this.#attempt(target, event, JSON.stringify(event), 0);
  }

  close(): void {
    this.#closing.abort();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  async #attempt(
    target: ActiveTarget,
    event: VideoWebhookEvent,
    body: string,
    attempt: number,
  ): Promise<void> {
    const { logger, retryDelaysMs, attemptTimeoutMs = 10_000 } = this.options;
    const context = {
      webhookUrl: target.url,
      eventId: event.id,
      type: event.type,
      videoId: event.data.id,
      attempt: attempt + 1,
    };
    let problem: string;
    try {
      // The receiver checks the timestamp against its wall clock, so this one is real time even under an injected clock.
      const headers = target.sign(event.id, new Date(), body);
      const response = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.any([this.#closing.signal, AbortSignal.timeout(attemptTimeoutMs)]),
      });
      await response.body?.cancel();
      if (response.ok) {
        logger.info({ ...context, status: response.status }, 'Simulator webhook delivered');
        return;
      }
      problem = `HTTP ${response.status}`;
    } catch (error) {
      if (this.#closing.signal.aborted) return;
      problem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    const delay = retryDelaysMs[attempt];
    if (delay === undefined) {
      logger.warn({ ...context, problem }, 'Simulator webhook delivery failed; giving up');
      return;
    }
    logger.warn({ ...context, problem, retryInMs: delay }, 'Simulator webhook delivery failed; will retry');
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void this.#attempt(target, event, body, attempt + 1);
    }, delay);
    this.#timers.add(timer);
  }
}
