import { z } from 'zod';
import { OUTGOING_WEBHOOK_EVENTS } from '../domain';
import { WEBHOOK_URL_MAX_LENGTH } from '../outgoing-webhooks/url-check';
import { hasNoNul, NO_NUL_MESSAGE } from './schemas';

export const endpointIdInput = z.strictObject({ endpointId: z.uuid({ message: 'endpointId must be a UUID' }) });

/** Only the form here; where it may point is checked next (`checkWebhookUrl`), with the reason. */
export const webhookUrlSchema = z
  .string()
  .trim()
  .min(1, 'url must not be empty')
  .max(WEBHOOK_URL_MAX_LENGTH, `url must be at most ${WEBHOOK_URL_MAX_LENGTH} characters`)
  .refine(hasNoNul, `url ${NO_NUL_MESSAGE}`);

export const webhookEventsSchema = z
  .array(z.enum(OUTGOING_WEBHOOK_EVENTS, { message: `events must be chosen among ${OUTGOING_WEBHOOK_EVENTS.join(', ')}` }))
  .min(1, 'events must name at least one event')
  .max(OUTGOING_WEBHOOK_EVENTS.length * 2, `events must name at most ${OUTGOING_WEBHOOK_EVENTS.length} events`)
  .transform((events) => [...new Set(events)]);

export const createWebhookInput = z.strictObject({ url: webhookUrlSchema, events: webhookEventsSchema });

export const updateWebhookInput = z.strictObject({
  endpointId: endpointIdInput.shape.endpointId,
  url: webhookUrlSchema.optional(),
  events: webhookEventsSchema.optional(),
});

export const deliveriesInput = z.strictObject({
  endpointId: endpointIdInput.shape.endpointId,
  limit: z.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(100, 'limit must be at most 100').optional(),
});

export const webhookEndpointView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(OUTGOING_WEBHOOK_EVENTS)),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const webhookDeliveryView = z.object({
  id: z.string(),
  /** The `webhook-id` header the receiver saw. */
  messageId: z.string(),
  eventType: z.string(),
  videoId: z.string().nullable(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().nullable(),
  lastLatencyMs: z.number().nullable(),
  lastError: z.string().nullable(),
  lastResponseSnippet: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
  payload: z.string(),
});
