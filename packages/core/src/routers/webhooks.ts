import {
  countUserWebhookEndpoints,
  deleteUserWebhookEndpoint,
  enqueueUserWebhookTest,
  getUserWebhookEndpoint,
  insertUserWebhookEndpoint,
  listUserWebhookDeliveries,
  listUserWebhookEndpoints,
  updateUserWebhookEndpoint,
  type UserWebhookDelivery,
  type UserWebhookEndpoint,
} from '@sora-monitor/db';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { AppError, OUTGOING_WEBHOOK_EVENTS, OUTGOING_WEBHOOK_TEST_EVENT, testWebhookPayload, type OutgoingWebhookEvent } from '../domain';
import { checkWebhookUrl, generateEndpointSecret, MAX_WEBHOOK_ENDPOINTS_PER_USER, webhookMessageId } from '../outgoing-webhooks';
import type { AppContext } from '../trpc/context';
import { toTRPCError } from '../trpc/errors';
import { protectedProcedure } from '../trpc/init';
import { noInput } from './schemas';
import {
  createWebhookInput,
  deliveriesInput,
  endpointIdInput,
  updateWebhookInput,
  webhookDeliveryView,
  webhookEndpointView,
} from './webhook-schemas';

/**
 * A procedure on one of the caller's endpoints: the whole input is validated first, then the endpoint is loaded
 * scoped to the caller, so another user's endpoint is NOT_FOUND, exactly like a random id, before anything else.
 */
function endpointProcedure<Input extends z.ZodType<{ endpointId: string }>>(input: Input) {
  return protectedProcedure.input(input).use(async ({ ctx, input: parsed, next }) => {
    const endpoint = await getUserWebhookEndpoint(ctx.db, ctx.user.id, (parsed as { endpointId: string }).endpointId);
    if (!endpoint) throw toTRPCError(new AppError('NOT_FOUND', 'Webhook endpoint not found'));
    return next({ ctx: { endpoint } });
  });
}

async function assertAllowedUrl(ctx: Pick<AppContext, 'outgoingWebhooks'>, url: string): Promise<string> {
  const check = await checkWebhookUrl(url, ctx.outgoingWebhooks.settings.addressPolicy, ctx.outgoingWebhooks.resolve);
  if (!check.ok) throw new AppError('BAD_REQUEST', check.reason, { field: 'url' });
  return check.url.toString();
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

function endpointView(endpoint: UserWebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events.filter((event): event is OutgoingWebhookEvent => (OUTGOING_WEBHOOK_EVENTS as readonly string[]).includes(event)),
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

function deliveryView(delivery: UserWebhookDelivery) {
  return {
    id: delivery.id,
    messageId: webhookMessageId(delivery.id),
    eventType: delivery.eventType,
    videoId: delivery.videoId,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: iso(delivery.nextAttemptAt),
    lastAttemptAt: iso(delivery.lastAttemptAt),
    lastStatusCode: delivery.lastStatusCode,
    lastLatencyMs: delivery.lastLatencyMs,
    lastError: delivery.lastError,
    lastResponseSnippet: delivery.lastResponseSnippet,
    deliveredAt: iso(delivery.deliveredAt),
    createdAt: delivery.createdAt.toISOString(),
    payload: delivery.payload,
  };
}

/** Outgoing webhooks: the caller's notification endpoints, their delivery logs and test events. */
export const webhooksRouter = {
  list: protectedProcedure
    .input(noInput)
    .output(z.array(webhookEndpointView))
    .query(async ({ ctx }) => (await listUserWebhookEndpoints(ctx.db, ctx.user.id)).map(endpointView)),

  /** Registers an endpoint; the answer carries its signing secret, the only time it is shown. */
  create: protectedProcedure
    .input(createWebhookInput)
    .output(z.object({ endpoint: webhookEndpointView, secret: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const url = await assertAllowedUrl(ctx, input.url);
      if ((await countUserWebhookEndpoints(ctx.db, ctx.user.id)) >= MAX_WEBHOOK_ENDPOINTS_PER_USER) {
        throw new AppError(
          'FORBIDDEN',
          `You already have ${MAX_WEBHOOK_ENDPOINTS_PER_USER} webhook endpoints, the most one account may have; delete one you no longer use first.`,
        );
      }
      const secret = generateEndpointSecret();
      const endpoint = await insertUserWebhookEndpoint(ctx.db, { userId: ctx.user.id, url, events: input.events, secret });
      return { endpoint: endpointView(endpoint), secret };
    }),

  update: endpointProcedure(updateWebhookInput)
    .output(webhookEndpointView)
    .mutation(async ({ ctx, input }) => {
      const url = input.url === undefined ? undefined : await assertAllowedUrl(ctx, input.url);
      const updated = await updateUserWebhookEndpoint(ctx.db, ctx.user.id, ctx.endpoint.id, { url, events: input.events });
      if (!updated) throw new AppError('NOT_FOUND', 'Webhook endpoint not found');
      return endpointView(updated);
    }),

  /** Deletes the endpoint with its queue and log: nothing more is sent to it. */
  delete: endpointProcedure(endpointIdInput)
    .output(z.object({ success: z.literal(true) }))
    .mutation(async ({ ctx }) => {
      if (!(await deleteUserWebhookEndpoint(ctx.db, ctx.user.id, ctx.endpoint.id))) throw new AppError('NOT_FOUND', 'Webhook endpoint not found');
      return { success: true as const };
    }),

  /** The endpoint's deliveries, newest first: status, tries, response code, latency, next try, last error. */
  deliveries: endpointProcedure(deliveriesInput)
    .output(z.array(webhookDeliveryView))
    .query(async ({ ctx, input }) =>
      (await listUserWebhookDeliveries(ctx.db, { userId: ctx.user.id, endpointId: ctx.endpoint.id, limit: input.limit ?? 50 })).map(deliveryView),
    ),

  /** Queues a `webhook.test` event for the endpoint; the worker sends it like any other delivery. */
  sendTest: endpointProcedure(endpointIdInput)
    .output(z.object({ deliveryId: z.string() }))
    .mutation(async ({ ctx }) => {
      await assertAllowedUrl(ctx, ctx.endpoint.url);
      const deliveryId = await enqueueUserWebhookTest(ctx.db, {
        userId: ctx.user.id,
        endpointId: ctx.endpoint.id,
        draft: { type: OUTGOING_WEBHOOK_TEST_EVENT, payload: testWebhookPayload(ctx.endpoint.id, new Date()) },
      });
      if (!deliveryId) throw new AppError('CONFLICT', 'A test event for this endpoint is still waiting to be delivered; see its delivery log.');
      return { deliveryId };
    }),
} satisfies TRPCRouterRecord;
