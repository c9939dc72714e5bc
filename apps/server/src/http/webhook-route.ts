import type { Refresher } from '@sora-monitor/core/server';
import { forgetWebhookDelivery, getVideoByJobId, recordWebhookDelivery, type Database } from '@sora-monitor/db';
import type { FastifyInstance } from 'fastify';
import OpenAI, { InvalidWebhookSignatureError } from 'openai';

export interface WebhookRouteDeps {
  db: Database;
  refresh: Refresher;
  /** Standard Webhooks secret (`whsec_…`); without one the route answers 404, as if it did not exist. */
  secret: string | undefined;
  /** Allowed clock difference for webhook-timestamp, in seconds. */
  toleranceSeconds?: number;
}

const VIDEO_EVENTS = new Set(['video.completed', 'video.failed']);

/**
 * POST /api/webhooks/openai: verifies the signature over the exact raw body, processes each webhook-id once, and
 * treats the event as a hint: the generation is refreshed from upstream through the one refresh path.
 */
export async function registerWebhookRoute(app: FastifyInstance, deps: WebhookRouteDeps): Promise<void> {
  // The SDK's verifier needs no client credentials; this client never sends a request.
  const verifier = new OpenAI({ apiKey: 'unused-for-verification' });
  await app.register(async (scope) => {
    // The signature covers the bytes as sent: keep the body as a string, never re-serialise parsed JSON.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_request, body, done) => done(null, body));

    scope.post('/api/webhooks/openai', async (request, reply) => {
      if (!deps.secret) return reply.code(404).send({ error: 'not_found', message: 'Webhooks are not configured (OPENAI_WEBHOOK_SECRET).' });
      const raw = typeof request.body === 'string' ? request.body : '';
      let event: { type?: unknown; data?: { id?: unknown } };
      try {
        event = (await verifier.webhooks.unwrap(raw, request.headers as Record<string, string>, deps.secret, deps.toleranceSeconds ?? 300)) as typeof event;
      } catch (error) {
        const message = error instanceof InvalidWebhookSignatureError || error instanceof Error ? error.message : 'invalid webhook';
        request.log.warn({ message }, 'Rejected a webhook');
        return reply.code(400).send({ error: 'invalid_webhook', message });
      }
      const deliveryId = String(request.headers['webhook-id']);
      const type = typeof event.type === 'string' ? event.type : 'unknown';
      const jobId = typeof event.data?.id === 'string' ? event.data.id : null;
      if (!VIDEO_EVENTS.has(type) || !jobId) return reply.code(200).send({ status: 'ignored', reason: `event type ${type}` });

      // A duplicate is acknowledged and changes nothing: senders retry any non-2xx, so refusing it would bring it back.
      if (!(await recordWebhookDelivery(deps.db, deliveryId, type))) return reply.code(200).send({ status: 'duplicate' });
      const video = await getVideoByJobId(deps.db, jobId);
      if (!video) return reply.code(200).send({ status: 'ignored', reason: 'unknown job' });
      try {
        await deps.refresh(video.id, { actor: 'webhook', freshForMs: 0 });
      } catch (error) {
        await forgetWebhookDelivery(deps.db, deliveryId);
        throw error;
      }
      return reply.code(200).send({ status: 'processed' });
    });
  });
}
