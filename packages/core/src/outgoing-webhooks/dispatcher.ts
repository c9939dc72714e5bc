import {
  claimDueUserWebhookDeliveries,
  recordUserWebhookAttempt,
  releaseUserWebhookDelivery,
  USER_WEBHOOK_QUEUED_CHANNEL,
  type ClaimedUserWebhookDelivery,
  type Database,
  type DbHandle,
} from '@sora-monitor/db';
import type { Logger } from 'pino';
import { planDeliveryTry } from '../domain';
import { sendWebhook } from './send';
import type { OutgoingWebhookSettings } from './settings';
import { signedHeaders } from './sign';

export interface WebhookDispatcherDeps {
  db: Database;
  /** LISTEN for queued deliveries, so new ones go out at once rather than at the next tick. */
  listen?: DbHandle['listen'];
  logger: Logger;
  settings: OutgoingWebhookSettings;
  nextLeaseOwner: () => string;
  random?: () => number;
}

export interface WebhookDispatcher {
  start(): Promise<void>;
  /** Stops claiming; tries in flight are cut short and handed back untried, so another worker sends them. */
  stop(): Promise<void>;
  /** One claim-and-send pass (tests drive the worker with it). Returns how many deliveries it tried. */
  runOnce(): Promise<number>;
}

const MAX_FAILURE_BACKOFF_MS = 5_000;

/**
 * The worker that sends users' outgoing webhooks: `while (!stopping) { claim due deliveries (leased) → sign and send
 * each → record the result the pure plan gives → wait for the doorbell or the tick }`.
 */
export function createWebhookDispatcher(deps: WebhookDispatcherDeps): WebhookDispatcher {
  const { settings } = deps;
  const random = deps.random ?? Math.random;
  const stopping = new AbortController();
  let loop: Promise<void> | null = null;
  let unlisten: (() => Promise<void>) | null = null;
  let ring: (() => void) | null = null;
  let rang = false;

  async function deliver(delivery: ClaimedUserWebhookDelivery, owner: string): Promise<void> {
    const result = await sendWebhook({
      url: delivery.url,
      headers: signedHeaders({ secret: delivery.secret, deliveryId: delivery.id, payload: delivery.payload, now: new Date() }),
      body: delivery.payload,
      timeoutMs: settings.timeoutMs,
      policy: settings.addressPolicy,
      signal: stopping.signal,
    });
    if (stopping.signal.aborted && result.kind === 'not_delivered') {
      await releaseUserWebhookDelivery(deps.db, { id: delivery.id, owner });
      return;
    }
    const plan = planDeliveryTry(delivery, result, { ...settings.retry, random });
    const log = deps.logger.child({ deliveryId: delivery.id, endpointId: delivery.endpointId, eventType: delivery.eventType });
    if (plan.status === 'succeeded') log.debug({ attempts: plan.attempts, statusCode: plan.lastStatusCode }, 'Webhook delivered');
    else log.info({ attempts: plan.attempts, error: plan.lastError, retryInMs: plan.retryInMs, status: plan.status }, 'Webhook not delivered');
    const recorded = await recordUserWebhookAttempt(deps.db, { id: delivery.id, owner, record: plan });
    if (!recorded) log.warn('The delivery lease was taken over meanwhile; this try is not recorded');
  }

  async function runOnce(): Promise<number> {
    const owner = deps.nextLeaseOwner();
    const claimed = await claimDueUserWebhookDeliveries(deps.db, { owner, limit: settings.concurrency, leaseMs: settings.leaseMs });
    await Promise.all(
      claimed.map((delivery) =>
        deliver(delivery, owner).catch((error: unknown) => {
          // The database failed mid-way: the lease runs out and another pass tries again.
          deps.logger.error({ err: error, deliveryId: delivery.id }, 'Could not record a webhook delivery');
        }),
      ),
    );
    return claimed.length;
  }

  /** Resolves after `ms`, at the doorbell, or when stopping. */
  function wait(ms: number): Promise<void> {
    if (rang) {
      rang = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stopping.signal.removeEventListener('abort', done);
        ring = null;
        rang = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      stopping.signal.addEventListener('abort', done, { once: true });
      ring = done;
    });
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopping.signal.aborted) {
      let waitMs = settings.tickMs;
      let claimed = 0;
      try {
        claimed = await runOnce();
        failures = 0;
      } catch (error) {
        failures += 1;
        waitMs = Math.min(settings.tickMs * 2 ** failures, MAX_FAILURE_BACKOFF_MS);
        deps.logger.error({ err: error, failures, retryInMs: waitMs }, 'Webhook dispatcher iteration failed');
      }
      if (claimed < settings.concurrency) await wait(waitMs);
    }
  }

  const doorbell = () => {
    if (ring) ring();
    else rang = true;
  };

  return {
    async start() {
      if (loop) return;
      if (deps.listen) unlisten = await deps.listen(USER_WEBHOOK_QUEUED_CHANNEL, doorbell, doorbell);
      loop = run();
    },
    async stop() {
      stopping.abort();
      await loop;
      await unlisten?.();
    },
    runOnce,
  };
}
