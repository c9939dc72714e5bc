import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

/*
 * OUTGOING notifications: the URLs a user registered to be told about their videos (not to be confused with
 * `webhook_deliveries`, which records the INCOMING webhooks of the video service).
 */

/** A user's notification endpoint: where to POST, which events, and the Standard Webhooks secret that signs them. */
export const userWebhookEndpoints = pgTable(
  'user_webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    /** Event types (`video.completed`, …) this endpoint receives. */
    events: text('events').array().notNull(),
    /** `whsec_…`: kept server-side to sign each delivery; shown to the user once, at creation. */
    secret: text('secret').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('user_webhook_endpoints_user_idx').on(t.userId, t.createdAt)],
);

export const USER_WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type UserWebhookDeliveryStatus = (typeof USER_WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * The durable queue and log of outgoing deliveries: one row per event per endpoint, written in the transaction of
 * the change that caused it, then claimed by a worker under a lease (like the poller's) until it succeeds or is
 * given up. `id` is the Standard Webhooks message id, the same on every try.
 */
export const userWebhookDeliveries = pgTable(
  'user_webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => userWebhookEndpoints.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    /** The video the event is about; no foreign key: the log outlives a deleted video. Null for a test event. */
    videoId: uuid('video_id'),
    eventType: text('event_type').notNull(),
    /** The exact JSON body that is signed and sent, the same bytes on every try. */
    payload: text('payload').notNull(),
    status: text('status', { enum: USER_WEBHOOK_DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** When the next try is due (database clock); null once it succeeded or was given up. */
    nextAttemptAt: timestamptz('next_attempt_at').default(sql`now()`),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamptz('lease_until'),
    lastAttemptAt: timestamptz('last_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastLatencyMs: integer('last_latency_ms'),
    lastError: text('last_error'),
    /** The first few hundred characters of the receiver's answer, as text; never parsed or trusted. */
    lastResponseSnippet: text('last_response_snippet'),
    deliveredAt: timestamptz('delivered_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    // "Deliveries due now": partial, so the log of finished deliveries costs the worker nothing.
    index('user_webhook_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    // An endpoint's delivery log, newest first.
    index('user_webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt.desc().nullsFirst()),
  ],
);

export type UserWebhookEndpoint = typeof userWebhookEndpoints.$inferSelect;
export type UserWebhookDelivery = typeof userWebhookDeliveries.$inferSelect;
